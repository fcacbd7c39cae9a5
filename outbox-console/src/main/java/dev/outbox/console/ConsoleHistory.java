package dev.outbox.console;

import dev.outbox.DeadLetterPolicy;
import dev.outbox.Dispatcher;
import dev.outbox.OutboxInspector;
import dev.outbox.OutboxInspector.Backlog;
import dev.outbox.OutboxInspector.HeldAggregate;
import dev.outbox.OutboxInspector.Lease;
import dev.outbox.Redaction;
import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.EventRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the console's page shows over time. One thread reads the tables every sampling interval (the
 * backlog, the lease holders, the held aggregates), and the dispatcher tells it of each publish, so
 * the page's polling, from however many browsers, costs the database nothing.
 */
final class ConsoleHistory implements AutoCloseable {

  static final int HELD_SHOWN = 20;
  static final Duration MIN_INTERVAL = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(ConsoleHistory.class);

  /**
   * One sampling interval.
   *
   * @param backlog the tables' counts at its end, or {@code null} if they could not be read
   * @param publishedPerSecond by this dispatcher during the interval
   * @param latency commit to acknowledgement of those publishes, or {@code null} if none
   */
  record Sample(
      Instant at,
      @Nullable Backlog backlog,
      double publishedPerSecond,
      LatencyHistogram.@Nullable Summary latency) {}

  /**
   * The tables as last read.
   *
   * @param held the {@link #HELD_SHOWN} longest held aggregates at most
   * @param heldTotal how many aggregates are held, listed or not
   * @param error why the last reading failed, or {@code null} if it went well
   */
  record Tables(
      Instant at,
      @Nullable Backlog backlog,
      List<Lease> leases,
      List<HeldAggregate> held,
      long heldTotal,
      @Nullable String error) {}

  private final Dispatcher dispatcher;
  private final Duration interval;
  private final int capacity;
  private final LongAdder published = new LongAdder();
  private final LongAdder publishedSinceStart = new LongAdder();
  // Swapped for a fresh one at each sample; a publish told during the swap may go uncounted.
  private volatile LatencyHistogram latencies = new LatencyHistogram();
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final ScheduledExecutorService sampler;
  private volatile Tables tables;
  private long lastSampleNanos = System.nanoTime();

  private ConsoleHistory(Dispatcher dispatcher, Duration interval, Duration history) {
    if (interval.compareTo(MIN_INTERVAL) < 0 || history.compareTo(interval) < 0) {
      throw new IllegalArgumentException(
          "outbox.console.sample-interval must be at least 100ms and outbox.console.history at"
              + " least as long; were "
              + interval
              + " and "
              + history);
    }
    this.dispatcher = dispatcher;
    this.interval = interval;
    this.capacity = (int) Math.min(10_000, history.toMillis() / interval.toMillis());
    this.tables = new Tables(Instant.now(), null, List.of(), List.of(), 0, "not read yet");
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "outbox-console-sampler");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Listens to the dispatcher's publishes and samples every {@code interval}. */
  @SuppressWarnings("FutureReturnValueIgnored") // sample() catches and logs its own failures
  static ConsoleHistory start(Dispatcher dispatcher, Duration interval, Duration history) {
    ConsoleHistory console = new ConsoleHistory(dispatcher, interval, history);
    // Added here rather than as a listener bean, which the dispatcher's own bean would depend on.
    dispatcher.addListener(
        new DispatcherListener() {
          @Override
          public void published(EventRecord event, Duration sinceCreated) {
            console.published(sinceCreated);
          }
        });
    long millis = interval.toMillis();
    console.sampler.scheduleWithFixedDelay(console::sample, 0, millis, TimeUnit.MILLISECONDS);
    return console;
  }

  private void published(Duration sinceCreated) {
    published.increment();
    publishedSinceStart.increment();
    latencies.record(sinceCreated);
  }

  Tables tables() {
    return tables;
  }

  /** Events this dispatcher published since the console started. */
  long published() {
    return publishedSinceStart.sum();
  }

  Duration interval() {
    return interval;
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  private void sample() {
    try {
      long now = System.nanoTime();
      double seconds = Math.max(1e-3, (now - lastSampleNanos) / 1e9);
      lastSampleNanos = now;
      double rate = published.sumThenReset() / seconds;
      LatencyHistogram interval = latencies;
      latencies = new LatencyHistogram();
      LatencyHistogram.Summary latency = interval.summary();
      Tables read = read();
      tables = read;
      synchronized (samples) {
        samples.addLast(new Sample(read.at(), read.backlog(), rate, latency));
        while (samples.size() > capacity) {
          samples.removeFirst();
        }
      }
    } catch (RuntimeException e) {
      // The sampler must go on: a failure here would silently end the charts.
      log.warn("Outbox console could not take a sample", e);
    }
  }

  private Tables read() {
    Instant at = Instant.now();
    try {
      OutboxInspector inspector = dispatcher.inspector();
      // Under CONTINUE no aggregate waits for its dead letter.
      boolean holding = dispatcher.config().deadLetterPolicy() == DeadLetterPolicy.HOLD_AGGREGATE;
      List<HeldAggregate> held = holding ? inspector.heldAggregates(HELD_SHOWN) : List.of();
      // A list shorter than asked for is all there is; a full one is counted, and a replay between
      // the two readings must not leave the total under the rows shown.
      long heldTotal =
          held.size() < HELD_SHOWN
              ? held.size()
              : Math.max(held.size(), inspector.heldAggregateCount());
      return new Tables(at, inspector.backlog(), inspector.leases(), held, heldTotal, null);
    } catch (RuntimeException e) {
      Tables previous = tables;
      return new Tables(
          at,
          null,
          previous.leases(),
          previous.held(),
          previous.heldTotal(),
          Redaction.describe(e));
    }
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
