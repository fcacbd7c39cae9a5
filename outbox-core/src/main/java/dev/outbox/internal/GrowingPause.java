package dev.outbox.internal;

import java.time.Duration;

/**
 * A pause that doubles each time it is taken again, from a base up to a cap, and is zero again once
 * reset. Not thread-safe: each worker keeps its own.
 */
final class GrowingPause {

  private final Duration base;
  private final Duration cap;
  private Duration current = Duration.ZERO;

  GrowingPause(Duration base, Duration cap) {
    this.base = base;
    this.cap = base.compareTo(cap) > 0 ? base : cap;
  }

  /** Grows the pause (the base the first time) and returns it. */
  Duration next() {
    if (current.isZero()) {
      current = base;
    } else {
      Duration doubled = current.multipliedBy(2);
      current = doubled.compareTo(cap) > 0 ? cap : doubled;
    }
    return current;
  }

  /** The pause as last grown; zero before the first {@link #next()} and after a reset. */
  Duration current() {
    return current;
  }

  void reset() {
    current = Duration.ZERO;
  }
}
