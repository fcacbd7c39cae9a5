package dev.outbox.micrometer;

import dev.outbox.Dispatcher;
import dev.outbox.DispatcherMetrics;
import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.EventRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * A dispatcher's meters, named under {@code outbox.} in base units:
 *
 * <ul>
 *   <li>counters {@code outbox.events.published}, {@code outbox.events.failed.attempts}, {@code
 *       outbox.events.retried} and {@code outbox.events.dead.lettered}, tagged {@code topic};
 *       {@code outbox.events.recovered}, tagged {@code outcome} ({@code retry} or {@code
 *       dead_letter}), for events taken back from an expired lease;
 *   <li>timer {@code outbox.commit.to.ack}: from an event's {@code created_at} (stamped in the
 *       transaction that saved it), or for a replayed dead letter from its replay, to the broker's
 *       acknowledgement, with a percentile histogram and the service-level objectives given to the
 *       builder;
 *   <li>timer {@code outbox.claim.duration} and distribution summary {@code outbox.claim.size}
 *       (events per claim);
 *   <li>gauges of the shared table, read at most once per {@linkplain Builder#refreshInterval
 *       refresh interval}: {@code outbox.backlog} tagged {@code status} ({@code pending}, {@code
 *       retry}, {@code processing}, {@code failed}), {@code outbox.dead.letters}, {@code
 *       outbox.oldest.waiting.age} (seconds, 0 when nothing waits);
 *   <li>gauges of this dispatcher, read from memory at every scrape: {@code
 *       outbox.dispatcher.running} (1 or 0), and per worker ({@code worker} tag) {@code
 *       outbox.worker.failing} (1 while its last run failed) and {@code
 *       outbox.worker.last.success.age} (seconds since its last successful run).
 * </ul>
 *
 * <p>Across instances, sum the counters and the timers' counts; take the {@code max} of the gauges
 * of the shared table, which every instance reads alike.
 *
 * <pre>{@code
 * OutboxMetrics.builder(dispatcher).build().bindTo(registry);
 * }</pre>
 */
public final class OutboxMetrics implements MeterBinder, DispatcherListener {

  /** How often the gauges of the shared table read it at most, by default. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(10);

  private static final List<String> STATUSES = List.of("pending", "retry", "processing", "failed");

  /** The dispatcher's workers, as {@link DispatcherMetrics#workers()} names them. */
  private static final List<String> WORKERS =
      List.of(
          "event-processor", "dead-letter-processor", "stuck-event-processor", "cleanup-processor");

  private final Dispatcher dispatcher;
  private final ThrottledSnapshot snapshot;
  private final Duration[] objectives;
  private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
  private final Map<String, TopicCounters> byTopic = new ConcurrentHashMap<>();
  private volatile @Nullable Bound bound;

  /** The meters that exist once bound to a registry. */
  private record Bound(
      MeterRegistry registry,
      Timer commitToAck,
      Timer claimDuration,
      DistributionSummary claimSize,
      Counter recoveredToRetry,
      Counter recoveredToDeadLetter) {}

  /** The counters of one topic, registered on its first event. */
  private record TopicCounters(
      Counter published, Counter failedAttempts, Counter retried, Counter deadLettered) {}

  private OutboxMetrics(Builder builder) {
    this.dispatcher = builder.dispatcher;
    this.snapshot = new ThrottledSnapshot(dispatcher, builder.refreshInterval, System::nanoTime);
    this.objectives = builder.objectives.toArray(Duration[]::new);
  }

  public static Builder builder(Dispatcher dispatcher) {
    return new Builder(dispatcher);
  }

  /**
   * Registers the meters and starts listening to the dispatcher. Bind once, to one registry (a
   * composite one to reach several).
   *
   * @throws IllegalStateException if already bound
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (bound != null) {
      throw new IllegalStateException("OutboxMetrics is bound to a registry already");
    }
    bound =
        new Bound(
            registry,
            Timer.builder("outbox.commit.to.ack")
                .description(
                    "From an event's commit (its created_at) to the broker's acknowledgement")
                .publishPercentileHistogram()
                .serviceLevelObjectives(objectives)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry),
            Timer.builder("outbox.claim.duration")
                .description("How long a claim that found events took, to its commit")
                .register(registry),
            DistributionSummary.builder("outbox.claim.size")
                .description("Events leased by a claim that found any")
                .baseUnit("events")
                .register(registry),
            recovered(registry, "retry"),
            recovered(registry, "dead_letter"));
    for (String status : STATUSES) {
      tableGauge(
          registry,
          "outbox.backlog",
          Tags.of("status", status),
          "Unsent events by status",
          m -> backlog(m, status));
    }
    tableGauge(
        registry,
        "outbox.dead.letters",
        Tags.empty(),
        "Rows in the dead-letter table",
        m -> m.deadLetters());
    TimeGauge.builder(
            "outbox.oldest.waiting.age",
            snapshot,
            TimeUnit.SECONDS,
            s -> orNaN(s.get(), m -> seconds(m.oldestWaitingAge())))
        .description("Age of the oldest event waiting to be published")
        .register(registry);
    Gauge.builder("outbox.dispatcher.running", dispatcher, d -> d.isRunning() ? 1 : 0)
        .description("1 while the dispatcher runs")
        .register(registry);
    for (String worker : WORKERS) {
      Tags tags = Tags.of("worker", worker);
      Gauge.builder("outbox.worker.failing", dispatcher, d -> failing(d.workers(), worker))
          .description("1 while the worker's last run failed")
          .tags(tags)
          .register(registry);
      TimeGauge.builder(
              "outbox.worker.last.success.age",
              dispatcher,
              TimeUnit.SECONDS,
              d -> lastSuccessAge(d.workers(), worker))
          .description("Seconds since the worker's last successful run")
          .tags(tags)
          .register(registry);
    }
    dispatcher.addListener(this);
  }

  @Override
  public void claimed(int events, Duration took) {
    Bound b = bound;
    if (b != null) {
      b.claimDuration().record(took);
      b.claimSize().record(events);
    }
  }

  @Override
  public void published(EventRecord event, Duration latency) {
    Bound b = bound;
    if (b != null) {
      topic(b, event.topic()).published().increment();
      b.commitToAck().record(latency);
    }
  }

  @Override
  public void failed(EventRecord event, String error, boolean deadLettered) {
    Bound b = bound;
    if (b != null) {
      TopicCounters counters = topic(b, event.topic());
      counters.failedAttempts().increment();
      (deadLettered ? counters.deadLettered() : counters.retried()).increment();
    }
  }

  @Override
  public void recoveredStuck(int events, int deadLettered) {
    Bound b = bound;
    if (b != null) {
      b.recoveredToRetry().increment(events - deadLettered);
      b.recoveredToDeadLetter().increment(deadLettered);
    }
  }

  private TopicCounters topic(Bound b, String topic) {
    return byTopic.computeIfAbsent(
        topic,
        t -> {
          Tags tags = Tags.of("topic", t);
          return new TopicCounters(
              counter(
                  b.registry(), "outbox.events.published", tags, "Events the broker acknowledged"),
              counter(
                  b.registry(), "outbox.events.failed.attempts", tags, "Failed publish attempts"),
              counter(
                  b.registry(),
                  "outbox.events.retried",
                  tags,
                  "Failed attempts that scheduled a retry"),
              counter(
                  b.registry(),
                  "outbox.events.dead.lettered",
                  tags,
                  "Events that failed for good"));
        });
  }

  private static Counter counter(
      MeterRegistry registry, String name, Tags tags, String description) {
    return Counter.builder(name).tags(tags).description(description).register(registry);
  }

  private static Counter recovered(MeterRegistry registry, String outcome) {
    return counter(
        registry,
        "outbox.events.recovered",
        Tags.of("outcome", outcome),
        "Events taken back from an expired lease");
  }

  private void tableGauge(
      MeterRegistry registry,
      String name,
      Tags tags,
      String description,
      ToDoubleFunction<DispatcherMetrics> value) {
    Gauge.builder(name, snapshot, s -> orNaN(s.get(), value))
        .tags(tags)
        .description(description)
        .register(registry);
  }

  private static double orNaN(
      @Nullable DispatcherMetrics metrics, ToDoubleFunction<DispatcherMetrics> value) {
    return metrics == null ? Double.NaN : value.applyAsDouble(metrics);
  }

  private static double backlog(DispatcherMetrics m, String status) {
    return switch (status) {
      case "pending" -> m.pending();
      case "retry" -> m.retry();
      case "processing" -> m.processing();
      default -> m.failed();
    };
  }

  private static double seconds(@Nullable Duration age) {
    return age == null ? 0 : Math.max(0, age.toNanos() / 1e9);
  }

  private static double failing(List<DispatcherMetrics.Worker> workers, String worker) {
    return workers.stream()
        .filter(w -> w.name().equals(worker))
        .findFirst()
        .map(w -> w.lastError() != null ? 1.0 : 0.0)
        .orElse(Double.NaN);
  }

  /** Remembers each worker's last run without error, as the scrapes see it. */
  private double lastSuccessAge(List<DispatcherMetrics.Worker> workers, String worker) {
    for (DispatcherMetrics.Worker w : workers) {
      Instant ranAt = w.lastRunAt();
      if (w.name().equals(worker) && ranAt != null && w.lastError() == null) {
        lastSuccess.merge(worker, ranAt, (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    Instant success = lastSuccess.get(worker);
    return success == null ? Double.NaN : seconds(Duration.between(success, Instant.now()));
  }

  /** Options of {@link OutboxMetrics}. */
  public static final class Builder {
    private final Dispatcher dispatcher;
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
    private List<Duration> objectives =
        List.of(
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5));

    private Builder(Dispatcher dispatcher) {
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /**
     * How often the gauges of the shared table read it at most, however often they are scraped;
     * default 10 s.
     */
    public Builder refreshInterval(Duration refreshInterval) {
      Objects.requireNonNull(refreshInterval, "refreshInterval");
      if (refreshInterval.isNegative()) {
        throw new IllegalArgumentException(
            "refreshInterval must not be negative, was " + refreshInterval);
      }
      this.refreshInterval = refreshInterval;
      return this;
    }

    /**
     * The service-level objectives of {@code outbox.commit.to.ack}, as histogram buckets; default
     * 10 ms, 50 ms, 100 ms, 500 ms, 1 s, 5 s.
     */
    public Builder commitToAckObjectives(Duration... objectives) {
      for (Duration objective : objectives) {
        Objects.requireNonNull(objective, "objective");
        if (objective.isNegative() || objective.isZero()) {
          throw new IllegalArgumentException("commitToAckObjectives must be > 0, was " + objective);
        }
      }
      this.objectives = List.of(objectives);
      return this;
    }

    public OutboxMetrics build() {
      return new OutboxMetrics(this);
    }
  }
}
