package dev.outbox.test.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.EventRecord;
import dev.outbox.test.RecordingPublisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class DialectDiscoveryTest {

  @Test
  void aProviderOnTheClasspathServesTheDatabasesItSupportsBeforeTheBuiltInOnes()
      throws SQLException {
    int before = ThirdPartyH2Provider.CREATED.get();

    assertThat(publishOneEventOn("third-party")).containsExactly("e1");

    assertThat(ThirdPartyH2Provider.CREATED.get() - before)
        .as("the writer's dialect and the dispatcher's")
        .isEqualTo(2);
  }

  @Test
  void databasesNoProviderSupportsGetTheBuiltInDialect() throws SQLException {
    int before = ThirdPartyH2Provider.CREATED.get();

    assertThat(publishOneEventOn("built-in")).containsExactly("e1");

    assertThat(ThirdPartyH2Provider.CREATED.get()).isEqualTo(before);
  }

  private static List<String> publishOneEventOn(String name) throws SQLException {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    RecordingPublisher publisher = new RecordingPublisher();
    try (Dispatcher dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .createSchema(true)
            .pollInterval(Duration.ofMillis(20))
            .build()) {
      dispatcher.start();
      try (Connection c = dataSource.getConnection()) {
        OutboxWriter.create()
            .save(c, OutboxEvent.of("e1", "Created", "Thing", "t1", "things", Map.of("n", 1)));
      }
      return publisher.awaitDelivered(1, Duration.ofSeconds(20)).stream()
          .map(EventRecord::eventId)
          .toList();
    }
  }
}
