package dev.outbox.console;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import org.jspecify.annotations.Nullable;

/**
 * Latencies of one sampling interval, for the console's chart: counted in buckets 10% wide, so a
 * percentile is read to within 10% (its bucket's upper bound), and the maximum exactly. Recording
 * is lock-free, from the dispatcher's threads.
 */
final class LatencyHistogram {

  private static final double GROWTH = 1.1;
  private static final int BUCKETS = 256; // the last upper bound is 1.1^255 ms, over a year

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final LongAccumulator maxMicros = new LongAccumulator(Math::max, 0);

  /**
   * Percentiles and maximum in milliseconds, or {@code null} when the interval had no publish.
   *
   * @param count publishes in the interval
   */
  record Summary(long count, double p50, double p99, double max) {}

  void record(Duration latency) {
    long micros = Math.max(0, latency.toNanos() / 1_000);
    counts.incrementAndGet(bucket(micros / 1_000.0));
    maxMicros.accumulate(micros);
  }

  @Nullable Summary summary() {
    long[] snapshot = new long[BUCKETS];
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      snapshot[i] = counts.get(i);
      total += snapshot[i];
    }
    if (total == 0) {
      return null;
    }
    double max = maxMicros.get() / 1_000.0;
    return new Summary(
        total,
        Math.min(percentile(snapshot, total, 0.50), max),
        Math.min(percentile(snapshot, total, 0.99), max),
        max);
  }

  private static double percentile(long[] counts, long total, double quantile) {
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(counts.length - 1);
  }

  static int bucket(double millis) {
    if (millis <= 1) {
      return 0;
    }
    return (int) Math.min(BUCKETS - 1, Math.ceil(Math.log(millis) / Math.log(GROWTH)));
  }

  static double upperBound(int bucket) {
    return Math.pow(GROWTH, bucket);
  }
}
