package dev.outbox.internal;

import java.time.Duration;

/**
 * The claim's tuning values, in one place. Each bounds the cost of one claim (rows read, bind
 * parameters, planning time) so that it does not grow with the backlog; the figures in the comments
 * are what made each one necessary.
 */
final class ClaimTuning {

  private ClaimTuning() {}

  /**
   * Due rows a window reads, for a batch of {@code batchSize}: twice the batch, as hot aggregates
   * fill a window with several rows each, plus a floor for small batches.
   */
  static int windowSize(int batchSize) {
    return 2 * batchSize + 100;
  }

  /**
   * Due rows the first window's walk reaches through: a window, and the processor's own two batches
   * in flight (one being published, one whose outcomes are being written), which are among the
   * oldest due rows where the claim's transaction is the lease.
   */
  static int walkedWindowSize(int batchSize) {
    return windowSize(batchSize) + 2 * batchSize;
  }

  /**
   * Share of a window's rows that must be the oldest of their aggregates for the next claim to walk
   * the first window instead of reading it: on 200,000 waiting rows of 10,000 aggregates, locking
   * 1,000 heads by the window's 1,900 candidate ids took 17 ms, walking the same rows 7.5 ms, and
   * the walk needs no window read (6.5 ms).
   */
  static final double SPREAD_WINDOW_SHARE = 0.9;

  /** Windows a claim pages through before it gives up on filling its batch. */
  static final int MAX_WINDOWS = 4;

  /** Aggregates a window may leave out; within every database's bind-parameter limit. */
  static final int MAX_EXCLUDED_AGGREGATES = 1_000;

  /**
   * Aggregates whose displaced head or dead letter one lookup looks for: a bound on its bind
   * parameters and on MariaDB's planning, about 0.1 ms per branch.
   */
  static final int MAX_LOOKUPS = 200;

  /**
   * Followers taken per aggregate in one claim. One aggregate's events are published one round trip
   * after the other, so a longer run would not publish that aggregate faster; it would only hold
   * the rest of the batch for its length and make the candidate lookup read more rows.
   */
  static final int MAX_FOLLOWER_RUN = 50;

  /**
   * How long events held behind a dead letter stay out of the claim's way. A replay or purge of the
   * dead letter brings them back at once; this bounds how late they come back when it goes another
   * way (retention cleanup, a manual delete). Without parking, 20,000 held events cost a second per
   * claim.
   */
  static final Duration HELD_PARKING = Duration.ofMinutes(1);
}
