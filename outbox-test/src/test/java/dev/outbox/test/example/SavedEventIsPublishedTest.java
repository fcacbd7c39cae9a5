package dev.outbox.test.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.EventRecord;
import dev.outbox.test.Deliveries;
import dev.outbox.test.RecordingPublisher;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** docs/testing.md's example of an application's own test: a saved event is published. */
class SavedEventIsPublishedTest {

  private final DataSource dataSource = h2("saved-event-is-published-" + System.nanoTime());
  private final OutboxWriter writer = OutboxWriter.create();

  /** The application's code under test: a business change and its event, in one transaction. */
  private void createUser(String id) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      writer.save(
          c,
          OutboxEvent.builder()
              .eventType("UserCreated")
              .aggregateType("User")
              .aggregateId(id)
              .topic("user-events")
              .payload(Map.of("id", id))
              .build());
      c.commit();
    }
  }

  @Test
  void aCreatedUserIsPublished() throws Exception {
    RecordingPublisher publisher = new RecordingPublisher();
    try (Dispatcher dispatcher =
        Dispatcher.builder(dataSource).publisher(publisher).createSchema(true).build()) {
      dispatcher.start();

      createUser("user-1");

      List<EventRecord> published = publisher.awaitDelivered(1, Duration.ofSeconds(10));
      assertThat(published.get(0).eventType()).isEqualTo("UserCreated");
      assertThat(published.get(0).payload()).isEqualTo("{\"id\":\"user-1\"}");
    }
  }

  @Test
  void deliverAllReturnsOnceEverythingDueIsPublished() throws Exception {
    RecordingPublisher publisher = new RecordingPublisher();
    try (Dispatcher dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .createSchema(true)
            .pollInterval(Duration.ofMinutes(10))
            .build()) {
      dispatcher.start();

      createUser("user-2");
      createUser("user-3");
      Deliveries.deliverAll(dispatcher, Duration.ofSeconds(10));

      assertThat(publisher.deliveredIds()).hasSize(2);
      assertThat(publisher.delivered())
          .extracting(EventRecord::aggregateId)
          .containsExactly("user-2", "user-3");
    }
  }

  private static DataSource h2(String name) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }
}
