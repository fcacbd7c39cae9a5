package dev.outbox.internal;

import dev.outbox.spi.Dialect;
import dev.outbox.spi.SqlStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims a batch of events under a lease. The statuses an event goes through are drawn on {@link
 * dev.outbox.spi.EventStatus}; this is the claim, in one transaction:
 *
 * <ol>
 *   <li><b>Prepare</b>: the dialect's {@link Dialect#claimPreparation() settings} for this
 *       transaction.
 *   <li><b>Window</b> ({@link HeadClaim}): read the oldest due rows without locks, a bounded window
 *       of them; of each aggregate in it keep its oldest row, the only one that can be its head.
 *   <li><b>Heads</b>: lock those candidates that are heads (no older unsent row or held dead letter
 *       of their aggregate), skipping rows others hold; where the dialect can, lease them in the
 *       same statement. Heads displaced behind younger rows of their aggregate (due later after a
 *       failure) are looked up and locked too.
 *   <li><b>Followers</b> ({@link FollowerClaim}): after each window's heads, the contiguous run of
 *       waiting rows that follow each head in its aggregate, read without locks, then locked.
 *   <li>While the batch has room and the window was full, <b>page on</b> to the next window,
 *       leaving out the aggregates already seen, up to {@link ClaimTuning#MAX_WINDOWS}; if even
 *       full windows held no head at all, search the whole backlog once (<b>last resort</b>).
 *   <li><b>Lease</b>: mark what is not leased yet processing, owned by this claim until the lease
 *       ends; commit. The lease is the claim's only lock from here on.
 *   <li><b>Park</b> ({@link HeldEventParking}), in a transaction of its own: the waiting events of
 *       aggregates seen held behind a dead letter are made due later, out of the next claims' way.
 * </ol>
 *
 * <pre>
 *   prepare ─▶ window ─▶ heads ─▶ followers ─▶ batch full or no next window? ─no─▶ window …
 *                                                        │ yes
 *                            (nothing claimed at all) last resort ─▶ lease ─▶ commit ─▶ park
 * </pre>
 */
public final class EventClaimer {

  private final Transactions tx;
  private final Sql sql;
  private final EventRows rows;
  private final HeadClaim headClaim;
  private final FollowerClaim followerClaim;
  private final HeldEventParking parking;
  private final List<SqlStatement> claimPreparation;

  public EventClaimer(Transactions tx, Dialect dialect, boolean holdAfterDeadLetter) {
    this(tx, dialect, holdAfterDeadLetter, LoggerFactory.getLogger(EventClaimer.class));
  }

  public EventClaimer(Transactions tx, Dialect dialect, boolean holdAfterDeadLetter, Logger log) {
    this.tx = tx;
    this.sql = new Sql(dialect);
    this.rows = new EventRows(dialect);
    this.headClaim = new HeadClaim(sql, holdAfterDeadLetter);
    this.followerClaim = new FollowerClaim(sql, holdAfterDeadLetter);
    this.parking = new HeldEventParking(tx, sql, log);
    // The same statements every claim: made once, not on the hot path.
    this.claimPreparation = dialect.claimPreparation();
  }

  /**
   * Claims up to {@code limit} events for {@code owner} until {@code leaseUntil}: aggregate heads
   * first, then the waiting events that follow a claimed head, in row order.
   */
  public List<ClaimedEvent> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    List<HeldAggregate> held = new ArrayList<>();
    List<ClaimedEvent> claimed = claim(owner, now, leaseUntil, limit, held);
    parking.park(held, now.plus(ClaimTuning.HELD_PARKING));
    return claimed;
  }

  private List<ClaimedEvent> claim(
      String owner, Instant now, Instant leaseUntil, int limit, List<HeldAggregate> held) {
    return tx.inTransaction(
        "claim outbox events",
        c -> {
          for (SqlStatement setting : claimPreparation) {
            sql.execute(c, setting);
          }
          HeadClaim.Search search = headClaim.search(c, owner, now, leaseUntil, limit, rows);
          Batch batch = new Batch(limit);
          List<ClaimedEvent> heads;
          while (!batch.full() && (heads = search.next(batch.room())) != null) {
            addWithFollowers(c, heads, batch);
          }
          if (batch.claimed.isEmpty()) {
            addWithFollowers(c, search.lastResort(limit), batch);
          }
          held.addAll(search.held());
          lease(c, owner, leaseUntil, batch.unleased);
          return batch.claimed;
        });
  }

  /** What a claim has taken so far, and which of it still needs its lease written. */
  private static final class Batch {
    final List<ClaimedEvent> claimed = new ArrayList<>();
    final List<ClaimedEvent> unleased = new ArrayList<>();
    final int limit;

    Batch(int limit) {
      this.limit = limit;
    }

    int room() {
      return limit - claimed.size();
    }

    boolean full() {
      return claimed.size() >= limit;
    }
  }

  /**
   * Adds a window's heads and then their followers, so the batch fills in age order: an old chain's
   * waiting events go before the heads of later windows.
   */
  private void addWithFollowers(Connection c, List<ClaimedEvent> heads, Batch batch)
      throws SQLException {
    if (heads.isEmpty()) {
      return;
    }
    List<ClaimedEvent> sorted = new ArrayList<>(heads);
    sorted.sort(Comparator.comparingLong(ClaimedEvent::id));
    batch.claimed.addAll(sorted);
    if (!sql.dialect().leasesHeadsWhileClaiming()) {
      batch.unleased.addAll(sorted);
    }
    if (!batch.full()) {
      List<ClaimedEvent> followers = followerClaim.claim(c, sorted, batch.room(), rows);
      batch.claimed.addAll(followers);
      batch.unleased.addAll(followers);
    }
  }

  private void lease(Connection c, String owner, Instant leaseUntil, List<ClaimedEvent> claimed)
      throws SQLException {
    Chunks.forEach(
        claimed.stream().map(ClaimedEvent::id).toList(),
        chunk -> sql.update(c, sql.dialect().markProcessing(owner, leaseUntil, chunk)));
  }
}
