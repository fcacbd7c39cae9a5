package dev.outbox;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next attempt after a failed publish. Attempt numbers start at 1:
 * {@code delay(1)} is the wait after the first failure.
 */
@FunctionalInterface
public interface Backoff {

  /**
   * How long to wait before the next attempt.
   *
   * @param failedAttempts the attempts failed so far, 1 after the first failure
   * @return the delay, never negative
   */
  Duration delay(int failedAttempts);

  /**
   * {@code base * 2^(n-1)}, at most {@code cap}: with 1 min and 30 min, 1, 2, 4, 8, 16, 30, 30.
   *
   * @param base the first delay; more than zero
   * @param cap the longest delay; more than zero
   * @return the backoff
   * @throws IllegalArgumentException if a duration is zero or negative
   */
  static Backoff exponential(Duration base, Duration cap) {
    requirePositive("base", base);
    requirePositive("cap", cap);
    return new Backoffs.Exponential(base, cap);
  }

  /**
   * The same delay after every failure.
   *
   * @param delay the delay; more than zero
   * @return the backoff
   * @throws IllegalArgumentException if the delay is zero or negative
   */
  static Backoff fixed(Duration delay) {
    requirePositive("delay", delay);
    return n -> delay;
  }

  /**
   * {@code base + increment * (n-1)}, at most {@code cap}.
   *
   * @param base the first delay; more than zero
   * @param increment added for each further failure; more than zero
   * @param cap the longest delay; more than zero
   * @return the backoff
   * @throws IllegalArgumentException if a duration is zero or negative
   */
  static Backoff linear(Duration base, Duration increment, Duration cap) {
    requirePositive("base", base);
    requirePositive("cap", cap);
    if (increment.isNegative()) {
      throw new IllegalArgumentException("increment must be >= 0, was " + increment);
    }
    return n -> {
      Duration d = base.plus(increment.multipliedBy(Math.max(0, n - 1)));
      return d.compareTo(cap) > 0 ? cap : d;
    };
  }

  /**
   * Spreads retries of many events over time: each delay is multiplied by a random factor in {@code
   * [1 - factor, 1 + factor]}.
   *
   * @param factor the spread, strictly between 0 and 1
   * @return a backoff that jitters this one's delays
   * @throws IllegalArgumentException if the factor is not between 0 and 1
   */
  default Backoff withJitter(double factor) {
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("jitter factor must be > 0 and < 1, was " + factor);
    }
    Backoff inner = this;
    return n -> {
      Duration d = inner.delay(n);
      double scale = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * factor;
      return Duration.ofNanos((long) (d.toNanos() * scale));
    };
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
  }
}
