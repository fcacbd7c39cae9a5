package dev.outbox.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Failures that follow one another (a broker or a database that is down), told as one story: a line
 * when they start, at most one a minute while they last, one when they end, instead of a line and a
 * stack trace per failure. Not thread-safe: each worker keeps its own.
 */
final class FailureStreak {

  static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

  private final LongSupplier nanoTime;
  private boolean active;
  private long startedNanos;
  private long reportedNanos;
  private long count;

  FailureStreak() {
    this(System::nanoTime);
  }

  FailureStreak(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** Counts {@code failures} more; true when they start the streak, the time to say so. */
  boolean add(long failures) {
    count += failures;
    if (active) {
      return false;
    }
    active = true;
    startedNanos = nanoTime.getAsLong();
    reportedNanos = startedNanos;
    return true;
  }

  /**
   * True at most once a {@link #REPORT_INTERVAL} while the streak lasts: time to say it still does.
   */
  boolean reminderDue() {
    long now = nanoTime.getAsLong();
    if (!active || now - reportedNanos < REPORT_INTERVAL.toNanos()) {
      return false;
    }
    reportedNanos = now;
    return true;
  }

  boolean active() {
    return active;
  }

  /** How long the streak has lasted; zero when there is none. */
  Duration length() {
    return active
        ? Duration.ofMillis((nanoTime.getAsLong() - startedNanos) / 1_000_000)
        : Duration.ZERO;
  }

  /** The failures counted since the streak started. */
  long count() {
    return count;
  }

  /** Ends the streak: the next failure starts a new one. */
  void end() {
    active = false;
    count = 0;
  }
}
