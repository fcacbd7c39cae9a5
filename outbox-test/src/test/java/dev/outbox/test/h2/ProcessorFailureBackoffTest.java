package dev.outbox.test.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outbox.DatabaseType;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherBuilder;
import dev.outbox.DispatcherMetrics;
import dev.outbox.test.FlakyDataSource;
import dev.outbox.test.RecordingPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Regression: the event processor retried every poll interval while its database kept failing. A
 * pooled connection that the pool does not recognise as broken (H2's "database is already closed"
 * under HikariCP) was then handed out again and again, because a pool only validates connections
 * that sat idle, and the dispatcher spun on it for minutes after the database was back.
 */
class ProcessorFailureBackoffTest {

  private static final String LOGGER = "dev.outbox.test.ProcessorFailureBackoff";

  @Test
  void processorBacksOffWhileItsDatabaseKeepsFailing() {
    FlakyDataSource dataSource = new FlakyDataSource(H2Database.create("backoff"));
    ListAppender<ILoggingEvent> log = capture();
    try (Dispatcher dispatcher =
        fastPolling(dataSource)
            .deadLetterInterval(Duration.ofHours(1))
            .stuckCheckInterval(Duration.ofHours(1))
            .stuckTimeout(Duration.ofHours(1))
            .cleanupInterval(Duration.ofHours(1))
            .build()) {
      dispatcher.start();
      dataSource.down(true);

      await().atMost(Duration.ofSeconds(30)).until(() -> retryWaits(log).size() >= 5);

      assertThat(retryWaits(log).subList(0, 5))
          .containsExactly(
              Duration.ofMillis(20),
              Duration.ofMillis(40),
              Duration.ofMillis(80),
              Duration.ofMillis(160),
              Duration.ofMillis(320));
      dataSource.down(false);
    }
  }

  /**
   * Regression: a database outage logged an ERROR with a stack trace of some fifty lines at every
   * try of the event processor, and nothing once the database was back. Now it is told as a broker
   * outage is: a WARN when it starts (and one a minute while it lasts, see FailureStreakTest), an
   * INFO when the database is back; each try is at DEBUG.
   */
  @Test
  void aDatabaseOutageTakesOneWarningWhenItStartsAndOneInfoWhenItEnds() {
    FlakyDataSource dataSource = new FlakyDataSource(H2Database.create("outage-lines"));
    ListAppender<ILoggingEvent> log = capture();
    try (Dispatcher dispatcher = fastPolling(dataSource).build()) {
      dispatcher.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> processor(dispatcher).lastRunAt() != null);

      dataSource.failNext(Integer.MAX_VALUE, "outbox-event-processor");
      await().atMost(Duration.ofSeconds(30)).until(() -> retryWaits(log).size() >= 4);
      dataSource.failNext(0, "outbox-event-processor");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !lines(log, Level.INFO, "Outbox event processor works again").isEmpty());

      assertThat(lines(log, Level.WARN, "Outbox event processor failed"))
          .singleElement()
          .satisfies(
              line -> {
                assertThat(line.getFormattedMessage()).contains("connection refused (test)");
                assertThat(line.getThrowableProxy()).as("no stack trace").isNull();
              });
      assertThat(lines(log, Level.ERROR, "")).isEmpty();
      assertThat(lines(log, Level.INFO, "Outbox event processor works again"))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line.getFormattedMessage()).containsPattern("\\(\\d+ failed runs\\)"));
    }
  }

  @Test
  void metricsReportTheEventProcessorsLastRunAndItsErrorSinceItsFirstFailureUntilARunSucceeds() {
    FlakyDataSource dataSource = new FlakyDataSource(H2Database.create("processor-metrics"));
    try (Dispatcher dispatcher = fastPolling(dataSource).build()) {
      dispatcher.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> processor(dispatcher).lastRunAt() != null);
      assertThat(processor(dispatcher).lastError()).isNull();
      assertThat(processor(dispatcher).failingSince()).isNull();

      // Only the processor's connections fail: metrics() reads the backlog on the caller's.
      dataSource.failNext(Integer.MAX_VALUE, "outbox-event-processor");
      await().atMost(Duration.ofSeconds(10)).until(() -> processor(dispatcher).lastError() != null);
      DispatcherMetrics.Worker failing = processor(dispatcher);
      assertThat(failing.lastError()).contains("connection refused (test)");
      Instant since = failing.failingSince();
      assertThat(since).isNotNull();
      // Later failures keep the time of the first: the worker has been failing since then.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> processor(dispatcher).lastRunAt().isAfter(failing.lastRunAt()));
      assertThat(processor(dispatcher).failingSince()).isEqualTo(since);
      assertThat(processor(dispatcher).failingFor(Duration.ZERO)).isTrue();
      assertThat(processor(dispatcher).failingFor(Duration.ofHours(1))).isFalse();

      dataSource.failNext(0, "outbox-event-processor");
      await().atMost(Duration.ofSeconds(10)).until(() -> processor(dispatcher).lastError() == null);
      assertThat(processor(dispatcher).failingSince()).isNull();
      assertThat(processor(dispatcher).running()).isTrue();
    }
  }

  /** A dispatcher on H2 polling every 20 ms, logging to the logger the tests read. */
  private static DispatcherBuilder fastPolling(FlakyDataSource dataSource) {
    return Dispatcher.builder(dataSource)
        .publisher(new RecordingPublisher())
        .dialect(DatabaseType.H2)
        .createSchema(true)
        .pollInterval(Duration.ofMillis(20))
        .logger(LoggerFactory.getLogger(LOGGER));
  }

  private static DispatcherMetrics.Worker processor(Dispatcher dispatcher) {
    return dispatcher.metrics().workers().stream()
        .filter(w -> w.name().equals("event-processor"))
        .findFirst()
        .orElseThrow();
  }

  /** The test's logger, at DEBUG, read by the returned appender. */
  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
    logger.setLevel(Level.DEBUG);
    logger.addAppender(log);
    return log;
  }

  /** The pauses after the processor's failed runs, each logged at DEBUG. */
  private static List<Duration> retryWaits(ListAppender<ILoggingEvent> log) {
    return lines(log, Level.DEBUG, "Outbox event processor failed; next run in").stream()
        .map(e -> (Duration) e.getArgumentArray()[1])
        .toList();
  }

  private static List<ILoggingEvent> lines(
      ListAppender<ILoggingEvent> log, Level level, String start) {
    synchronized (log.list) {
      return log.list.stream()
          .filter(e -> e.getLevel() == level && e.getFormattedMessage().startsWith(start))
          .toList();
    }
  }
}
