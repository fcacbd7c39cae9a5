package dev.outbox.test.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outbox.DatabaseType;
import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.BrokerAvailability;
import dev.outbox.spi.PublishException;
import dev.outbox.test.RecordingPublisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a stop that cannot publish everything due says it leaves for the next start. */
class DrainLeftBehindTest {

  private static final String LOGGER = "dev.outbox.test.DrainLeftBehind";

  @Test
  void aStopWhileTheBrokerIsUnavailableSaysHowManyEventsWaitForTheNextStart() throws SQLException {
    DataSource dataSource = H2Database.create("drain-left-behind");
    try (Connection c = dataSource.getConnection()) {
      OutboxSchema.create(c, OutboxTables.defaults());
      c.setAutoCommit(false);
      OutboxWriter writer = OutboxWriter.create();
      for (int i = 0; i < 3; i++) {
        writer.save(
            c,
            OutboxEvent.of("left-" + i, "Happened", "Thing", "t-" + i, "things", Map.of("i", i)));
      }
      c.commit();
    }
    RecordingPublisher publisher = new RecordingPublisher();
    publisher.brokerAvailability(BrokerAvailability.UNAVAILABLE);
    publisher.behave(
        e ->
            CompletableFuture.failedFuture(
                PublishException.retriable("broker away", new RuntimeException("refused"))));
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(LOGGER)).addAppender(log);

    Dispatcher dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .dialect(DatabaseType.H2)
            .pollInterval(Duration.ofMillis(20))
            .drainTimeout(Duration.ofMinutes(1))
            .logger(LoggerFactory.getLogger(LOGGER))
            .build();
    dispatcher.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> publisher.availabilityChecks() > 0);
    dispatcher.close();

    assertThat(lines(log, Level.WARN))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("Stopping before everything due was published: the broker")
                    .contains("3 event(s) pending"));
  }

  private static List<String> lines(ListAppender<ILoggingEvent> log, Level level) {
    synchronized (log.list) {
      return log.list.stream()
          .filter(e -> e.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }
}
