package dev.outbox.example;

import dev.outbox.Dispatcher;
import dev.outbox.DispatcherMetrics;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the dispatcher's metrics, as the specification's example does every 5 seconds. */
final class MetricsReporter {

  private static final Logger LOG = LoggerFactory.getLogger("dev.outbox.example.Metrics");

  private final Dispatcher dispatcher;

  MetricsReporter(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  DispatcherMetrics logOnce() {
    DispatcherMetrics m = dispatcher.metrics();
    LOG.info(
        "Dispatcher {} | workers: {} | config: batchSize={}, pollInterval={}, maxAttempts={} |"
            + " backlog {} (pending {}, retry {}, processing {}, failed {}),"
            + " oldest waiting {} | published {}, retried {}, dead-lettered {}, dead letters {}",
        m.running() ? "running" : "stopped",
        m.workers().stream()
            .map(w -> w.name() + (w.running() ? "" : " (stopped)"))
            .collect(Collectors.joining(", ")),
        m.config().get("batchSize"),
        m.config().get("pollInterval"),
        m.config().get("maxAttempts"),
        m.backlog(),
        m.pending(),
        m.retry(),
        m.processing(),
        m.failed(),
        m.oldestWaitingAge() == null ? "-" : m.oldestWaitingAge(),
        m.published(),
        m.retried(),
        m.deadLettered(),
        m.deadLetters());
    return m;
  }

  void logConfiguration() {
    LOG.info("Dispatcher configuration: {}", dispatcher.metrics().config());
  }
}
