package dev.outbox.checker;

import java.time.Instant;

/**
 * One injected fault, as it happened.
 *
 * @param target the dispatcher it hit (1-based), or 0 when it hit no single dispatcher
 */
record Fault(FaultKind kind, int target, Instant start, Instant end) {

  /**
   * Whether a record published at {@code first} and again at {@code again} can be explained by this
   * fault: the fault (or its aftermath) overlaps the time between the two publishes.
   */
  boolean explains(Instant first, Instant again) {
    Instant aftermathEnd = end.plus(FaultKind.AFTERMATH);
    return !first.isAfter(aftermathEnd) && !again.isBefore(start);
  }

  @Override
  public String toString() {
    return kind + (target > 0 ? " of dispatcher " + target : "") + " at " + start;
  }
}
