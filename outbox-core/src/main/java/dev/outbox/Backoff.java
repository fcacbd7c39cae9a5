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

  Duration delay(int failedAttempts);

  /** {@code base * 2^(n-1)}, at most {@code cap}: with 1 min and 30 min, 1, 2, 4, 8, 16, 30, 30. */
  static Backoff exponential(Duration base, Duration cap) {
    requirePositive("base", base);
    requirePositive("cap", cap);
    return new Backoffs.Exponential(base, cap);
  }

  /** The same delay after every failure. */
  static Backoff fixed(Duration delay) {
    requirePositive("delay", delay);
    return n -> delay;
  }

  /** {@code base + increment * (n-1)}, at most {@code cap}. */
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
