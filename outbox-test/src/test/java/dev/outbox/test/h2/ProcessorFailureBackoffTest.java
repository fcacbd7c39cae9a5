package dev.outbox.test.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(LOGGER)).addAppender(log);
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

  private static List<Duration> retryWaits(ListAppender<ILoggingEvent> log) {
    synchronized (log.list) {
      return log.list.stream()
          .filter(e -> e.getMessage().startsWith("Outbox event processor failed"))
          .map(e -> (Duration) e.getArgumentArray()[0])
          .toList();
    }
  }
}
