package dev.outbox;

import java.time.Duration;

/** Named backoff implementations, so a configuration prints readably. */
final class Backoffs {

  private Backoffs() {}

  record Exponential(Duration base, Duration cap) implements Backoff {
    @Override
    public Duration delay(int failedAttempts) {
      int doublings = Math.min(Math.max(0, failedAttempts - 1), 62);
      long factor = 1L << doublings;
      long capNanos = cap.toNanos();
      long baseNanos = base.toNanos();
      if (baseNanos > capNanos / factor) {
        return cap;
      }
      return Duration.ofNanos(baseNanos * factor);
    }

    @Override
    public String toString() {
      return "exponential(base=" + base + ", cap=" + cap + ")";
    }
  }
}
