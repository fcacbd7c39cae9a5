package dev.outbox.benchmarks;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Writers commit business rows with their events at a steady rate; the latency of an event is from
 * the end of its commit to the broker's acknowledgement.
 */
final class LatencyBenchmark {

  /**
   * Percentiles in milliseconds over the acknowledged events; {@code unacknowledged} counts those
   * still not acknowledged two minutes after the writers stopped (the relay fell behind).
   */
  record Latency(
      int rate, long events, long unacknowledged, double p50, double p95, double p99, double max) {}

  private static final int WRITERS = 4;

  private LatencyBenchmark() {}

  static Latency run(BenchDatabase db, String bootstrapServers, BenchOptions options, int rate)
      throws Exception {
    Map<String, Long> committedAt = new ConcurrentHashMap<>();
    TimingPublisher publisher = Relay.publisher(bootstrapServers);
    try (Dispatcher dispatcher = Relay.start(db.dataSource(), publisher, options)) {
      long durationNanos = options.latencyDuration().toNanos();
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread t =
            new Thread(
                () -> write(db.dataSource(), writer, rate, start, durationNanos, committedAt),
                "bench-writer-" + w);
        t.start();
        writers.add(t);
      }
      for (Thread t : writers) {
        t.join();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (publisher.ackedAt().size() < committedAt.size() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
    return percentiles(rate, committedAt, publisher.ackedAt());
  }

  /** One of {@link #WRITERS} threads, each writing every WRITERS-th slot of the schedule. */
  private static void write(
      DataSource dataSource,
      int writer,
      int rate,
      long start,
      long durationNanos,
      Map<String, Long> committedAt) {
    OutboxWriter outbox = OutboxWriter.create();
    long interval = TimeUnit.SECONDS.toNanos(1) / rate;
    String filler = "y".repeat(260);
    try (Connection c = dataSource.getConnection();
        PreparedStatement business =
            c.prepareStatement("INSERT INTO bench_business (id, note) VALUES (?, ?)")) {
      c.setAutoCommit(false);
      for (long slot = writer; ; slot += WRITERS) {
        long due = start + slot * interval;
        if (due - start > durationNanos) {
          return;
        }
        LockSupport.parkNanos(due - System.nanoTime());
        OutboxEvent event = Events.event("lat-" + (slot % 1000), slot, filler);
        business.setString(1, event.eventId());
        business.setString(2, "business row");
        business.executeUpdate();
        outbox.save(c, event);
        c.commit();
        committedAt.put(event.eventId(), System.nanoTime());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writer failed", e);
    }
  }

  private static Latency percentiles(
      int rate, Map<String, Long> committed, Map<String, Long> acked) {
    double[] millis =
        committed.entrySet().stream()
            .filter(e -> acked.containsKey(e.getKey()))
            .mapToDouble(
                e ->
                    Math.max(0, Objects.requireNonNull(acked.get(e.getKey())) - e.getValue()) / 1e6)
            .toArray();
    return summarize(rate, millis, committed.size() - millis.length);
  }

  /** The percentiles of {@code millis}, the latencies of the acknowledged events. */
  static Latency summarize(int rate, double[] millis, long unacknowledged) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    return new Latency(
        rate,
        sorted.length,
        unacknowledged,
        at(sorted, 0.50),
        at(sorted, 0.95),
        at(sorted, 0.99),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
  }

  private static double at(double[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
  }
}
