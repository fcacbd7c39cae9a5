package dev.outbox.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, so backoff, leases and retention need no sleeping. Give it to the
 * writer's and the dispatchers' {@code clock(...)}, which then use it as it is instead of the
 * database's time.
 */
public final class TestClock extends Clock {

  private volatile Instant now;

  public TestClock(Instant start) {
    this.now = start;
  }

  /** Starts at the current time truncated to milliseconds (every database keeps those). */
  public static TestClock startingNow() {
    return new TestClock(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("tests use UTC");
  }
}
