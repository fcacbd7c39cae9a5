package dev.outbox.micrometer;

import dev.outbox.Dispatcher;
import dev.outbox.DispatcherMetrics;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's {@link Dispatcher#metrics()}, read at most once per interval however often the
 * gauges are scraped: each reading counts the backlog in the database.
 */
final class ThrottledSnapshot {

  private static final Logger log = LoggerFactory.getLogger(OutboxMetrics.class);

  private final Dispatcher dispatcher;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final ReentrantLock reading = new ReentrantLock();
  private volatile @Nullable DispatcherMetrics last;
  private boolean tried;
  private long triedAt;

  ThrottledSnapshot(Dispatcher dispatcher, Duration interval, LongSupplier nanoTime) {
    this.dispatcher = dispatcher;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * The latest reading, read again if it is older than the interval; {@code null} until a first
   * reading succeeded. A failed reading (database down) keeps the previous one and is tried again
   * after the interval, not on every scrape.
   */
  @Nullable DispatcherMetrics get() {
    // A scrape that finds another one reading (a slow database) takes the last reading rather
    // than queue behind it: one hung query must not stall every scrape of the registry.
    if (!reading.tryLock()) {
      return last;
    }
    try {
      long now = nanoTime.getAsLong();
      if (!tried || now - triedAt >= intervalNanos) {
        tried = true;
        triedAt = now;
        try {
          last = dispatcher.metrics();
        } catch (RuntimeException e) {
          log.debug("Outbox metrics could not be read; the gauges keep their last values", e);
        }
      }
      return last;
    } finally {
      reading.unlock();
    }
  }
}
