package dev.outbox.checker;

import java.time.Instant;

/**
 * One injected fault, as it happened.
 *
 * @param target the dispatcher it hit (1-based), or 0 when it hit no single dispatcher
 */
record Fault(FaultKind kind, int target, Instant start, Instant end) {

  /**
   * Whether a record published at both {@code a} and {@code b} (in either order: a producer stamps
   * a record when it is handed over, not when the broker appends it) can be explained by this
   * fault: the first copy went out shortly before or during the fault, so its outcome could be lost
   * with it, and the second went out after the fault began.
   */
  boolean explains(Instant a, Instant b) {
    Instant first = a.isBefore(b) ? a : b;
    Instant second = a.isBefore(b) ? b : a;
    return !first.isBefore(start.minus(FaultKind.REACH))
        && !first.isAfter(end.plus(FaultKind.REACH))
        && !second.isBefore(start);
  }

  @Override
  public String toString() {
    return kind + (target > 0 ? " of dispatcher " + target : "") + " at " + start;
  }
}
