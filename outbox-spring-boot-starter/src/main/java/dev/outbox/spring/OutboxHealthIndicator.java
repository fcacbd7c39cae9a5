package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.DispatcherMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The outbox's health: DOWN when the dispatcher is not running, when one of its workers has kept
 * failing for {@code outbox.health.failing-for}, from its first failed run to its latest, without a
 * success between (a database or a broker that stays away, not a blip), or, if {@code
 * outbox.health.max-waiting-age} is set, when the oldest waiting event is older than that. Only the
 * age reads the database.
 */
final class OutboxHealthIndicator implements HealthIndicator {

  private final Dispatcher dispatcher;
  private final Duration failingFor;
  private final @Nullable Duration maxWaitingAge;

  OutboxHealthIndicator(Dispatcher dispatcher, OutboxProperties.Health properties) {
    this.dispatcher = dispatcher;
    this.failingFor = properties.getFailingFor();
    this.maxWaitingAge = properties.getMaxWaitingAge();
  }

  @Override
  public Health health() {
    if (!dispatcher.isRunning()) {
      return Health.down().withDetail("running", false).build();
    }
    Health.Builder health = Health.up().withDetail("running", true);
    Map<String, Object> failing = new LinkedHashMap<>();
    for (DispatcherMetrics.Worker worker : dispatcher.workers()) {
      if (worker.failingFor(failingFor)) {
        failing.put(
            worker.name(),
            Map.of(
                "failingSince", String.valueOf(worker.failingSince()),
                "lastError", String.valueOf(worker.lastError())));
      }
    }
    if (!failing.isEmpty()) {
      health.down().withDetail("failing", failing).withDetail("failingFor", failingFor.toString());
    }
    if (maxWaitingAge != null) {
      Duration oldest = dispatcher.metrics().oldestWaitingAge();
      health.withDetail("oldestWaitingAge", String.valueOf(oldest));
      health.withDetail("maxWaitingAge", maxWaitingAge.toString());
      if (oldest != null && oldest.compareTo(maxWaitingAge) > 0) {
        health.down();
      }
    }
    return health.build();
  }
}
