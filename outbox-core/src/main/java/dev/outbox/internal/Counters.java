package dev.outbox.internal;

import java.util.concurrent.atomic.LongAdder;

/** Running totals since the dispatcher started. */
public final class Counters {
  /** Claims that found work. */
  public final LongAdder claims = new LongAdder();

  public final LongAdder published = new LongAdder();
  public final LongAdder retried = new LongAdder();
  public final LongAdder deadLettered = new LongAdder();
  public final LongAdder failedAttempts = new LongAdder();
  public final LongAdder recoveredStuck = new LongAdder();
}
