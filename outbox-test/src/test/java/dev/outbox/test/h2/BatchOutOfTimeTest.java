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
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.ForwardingPublisher;
import dev.outbox.spi.Publication;
import dev.outbox.spi.PublishTimeLimit;
import dev.outbox.test.RecordingPublisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Regression: a batch claimed too late in its lease for a publish to be answered in time was given
 * back unpublished without a word, so a lease too short for the publisher showed only as a backlog
 * that did not move.
 */
class BatchOutOfTimeTest {

  private static final String LOGGER = "dev.outbox.test.BatchOutOfTime";

  /**
   * With a lease of 2 s and publishes of up to 1 s, rounds may start for half a second after the
   * claim. The second batch is claimed while the first is published, whose acknowledgement takes
   * 0.8 s: by then the second batch's time is up.
   */
  @Test
  void aBatchOutOfTimeIsGivenBackWithAWarningAndPublishedByALaterClaim() throws SQLException {
    DataSource dataSource = H2Database.create("out-of-time");
    try (Connection c = dataSource.getConnection()) {
      OutboxSchema.create(c, OutboxTables.defaults());
      c.setAutoCommit(false);
      OutboxWriter writer = OutboxWriter.create();
      writer.save(c, event("slow", "a"));
      writer.save(c, event("next", "b"));
      c.commit();
    }
    RecordingPublisher recording = new RecordingPublisher();
    recording.behave(
        e ->
            e.eventId().equals("slow")
                ? CompletableFuture.runAsync(
                    () -> {}, CompletableFuture.delayedExecutor(800, TimeUnit.MILLISECONDS))
                : CompletableFuture.completedFuture(null));
    // Publishes handed to a broker's client at once: none can be withdrawn, so the slow one is
    // waited for up to the deadline.
    ForwardingPublisher bounded =
        new ForwardingPublisher(recording) {
          @Override
          public Publication publish(EventRecord event) {
            return Publication.of(super.publish(event).acknowledgement());
          }

          @Override
          public Optional<PublishTimeLimit> publishTimeLimit() {
            return Optional.of(new PublishTimeLimit(Duration.ofSeconds(1), "the test's bound"));
          }
        };
    ListAppender<ILoggingEvent> log = capture();

    try (Dispatcher dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(bounded)
            .dialect(DatabaseType.H2)
            .batchSize(1)
            .pollInterval(Duration.ofMillis(20))
            .stuckTimeout(Duration.ofSeconds(2))
            .stuckCheckInterval(Duration.ofSeconds(1))
            .logger(LoggerFactory.getLogger(LOGGER))
            .build()) {
      dispatcher.start();
      recording.awaitDelivered(2, Duration.ofSeconds(20));

      assertThat(recording.delivered()).extracting(EventRecord::eventId).contains("slow", "next");
      assertThat(warnings(log))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("Gave back 1 of 1 claimed event(s) unpublished, uncounted")
                      .contains("stuckTimeout PT2S"));
      await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.metrics().published() == 2);
      assertThat(dispatcher.metrics().failedAttempts()).isZero();
    }
  }

  private static OutboxEvent event(String id, String aggregateId) {
    return OutboxEvent.of(id, "ThingHappened", "Thing", aggregateId, "things", Map.of("id", id));
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    ((Logger) LoggerFactory.getLogger(LOGGER)).addAppender(log);
    return log;
  }

  private static List<String> warnings(ListAppender<ILoggingEvent> log) {
    synchronized (log.list) {
      return log.list.stream()
          .filter(e -> e.getLevel() == Level.WARN)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }
}
