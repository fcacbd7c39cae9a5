package dev.outbox.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** What became of one claimed event; recorded with a compare-and-set on the lease owner. */
public record Outcome(
    Kind kind,
    long id,
    int attempts,
    @Nullable Instant nextAttemptAt,
    @Nullable String error,
    boolean permanent,
    @Nullable Instant acknowledgedAt) {

  /** A publish was attempted and failed with an error a retry might fix. */
  public boolean failedRetriably() {
    return (kind == Kind.RETRY || kind == Kind.FAILED) && !permanent;
  }

  /** The possible results of processing a claimed event. */
  public enum Kind {
    /** Acknowledged by the broker. */
    SENT,
    /** Failed; tried again at {@code nextAttemptAt}. */
    RETRY,
    /** Failed for good; becomes a dead letter. */
    FAILED,
    /** Not attempted (an earlier event of its aggregate failed); back to waiting, uncounted. */
    RELEASED,
    /**
     * Its publish unanswered in time: the broker may have it or not. It stays leased, and the
     * stuck-event worker takes it back once the lease ends.
     */
    LEFT_LEASED
  }

  /** Acknowledged by the broker at {@code acknowledgedAt}, on the dispatcher's clock. */
  public static Outcome sent(long id, Instant acknowledgedAt) {
    return new Outcome(Kind.SENT, id, 0, null, null, false, acknowledgedAt);
  }

  public static Outcome retry(long id, int attempts, Instant nextAttemptAt, String error) {
    return new Outcome(Kind.RETRY, id, attempts, nextAttemptAt, error, false, null);
  }

  /**
   * An event that failed for good and becomes a dead letter.
   *
   * @param permanent the error was one no retry can fix, rather than the last attempt failing
   */
  public static Outcome failed(long id, int attempts, String error, boolean permanent) {
    return new Outcome(Kind.FAILED, id, attempts, null, error, permanent, null);
  }

  public static Outcome released(long id, Instant nextAttemptAt) {
    return new Outcome(Kind.RELEASED, id, 0, nextAttemptAt, null, false, null);
  }

  public static Outcome leftLeased(long id) {
    return new Outcome(Kind.LEFT_LEASED, id, 0, null, null, false, null);
  }
}
