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
 *   <li><b>Walk</b> ({@link HeadClaim.Search#walkFirstWindow}), while the oldest due rows are
 *       mostly heads of different aggregates: lock the heads among them in one statement that walks
 *       them in due order. A walk that fills the batch, or tested every due row, is the whole
 *       search.
 *   <li><b>Window</b> ({@link HeadClaim}): read the oldest due rows without locks, a bounded window
 *       of them; of each aggregate in it keep its oldest row, the only one that can be its head.
 *   <li><b>Heads</b>: lock those candidates that are heads (no older unsent row or held dead letter
 *       of their aggregate), skipping rows others hold. Heads displaced behind younger rows of
 *       their aggregate (due later after a failure) are looked up and locked too.
 *   <li><b>Followers</b> ({@link FollowerClaim}): after each window's heads, the contiguous run of
 *       waiting rows that follow each head in its aggregate, read without locks, then locked.
 *   <li>While the batch has room and the window was full, <b>page on</b> to the next window,
 *       leaving out the aggregates already seen, up to {@link ClaimTuning#MAX_WINDOWS}; if even
 *       full windows held no head at all, search the whole backlog once (<b>last resort</b>).
 *   <li><b>Lease</b> ({@link BatchLease}): where the database leases by transaction ({@link
 *       Dialect#leasesByTransaction}), the transaction stays open: its row locks are the lease, the
 *       batch is published meanwhile, and the outcomes are written and committed in it, so each
 *       event is written once. A transaction abandoned by a frozen dispatcher is ended by the
 *       database ({@link Dialect#limitLockHolding}) once idle for the lease's length. Elsewhere the
 *       claim marks its rows processing, owned by this claim until the lease ends, and commits: the
 *       lease is then the claim's only lock.
 *   <li><b>Park</b> ({@link HeldEventParking}), in a transaction of its own: the waiting events of
 *       aggregates seen held behind a dead letter are made due later, out of the next claims' way.
 * </ol>
 *
 * <pre>
 *   prepare ─▶ walk ─▶ followers ─▶ batch full? ─yes──────────────────────────────┐
 *                                       │ no                                          │
 *              window ─▶ heads ─▶ followers ─▶ batch full or no next window? ─no─▶ window …
 *                                                        │ yes                        │
 *          (nothing claimed at all) last resort ─▶ lease (locks held, or rows leased) ─▶ park
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

  /**
   * Whether the next claim first walks the oldest due rows (see {@link
   * HeadClaim.Search#walkFirstWindow}): while the last walk filled its batch, or the last window
   * read showed the oldest rows spread over many aggregates. Claims are made one at a time.
   */
  private boolean walkFirstWindow = true;

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
  public ClaimedBatch claim(String owner, Instant now, Instant leaseUntil, int limit) {
    List<HeldAggregate> held = new ArrayList<>();
    ClaimedBatch claimed =
        BatchLease.claim(tx, sql, owner, now, leaseUntil, c -> search(c, now, limit, held));
    try {
      parking.park(held, now.plus(ClaimTuning.HELD_PARKING));
    } catch (RuntimeException | Error e) {
      claimed.close();
      throw e;
    }
    return claimed;
  }

  private List<ClaimedEvent> search(Connection c, Instant now, int limit, List<HeldAggregate> held)
      throws SQLException {
    for (SqlStatement setting : claimPreparation) {
      sql.execute(c, setting);
    }
    HeadClaim.Search search = headClaim.search(c, now, limit, rows);
    List<ClaimedEvent> batch = new ArrayList<>();
    if (walkFirstWindow) {
      HeadClaim.Walk walk = search.walkFirstWindow(limit);
      addWithFollowers(c, walk.heads(), batch, limit);
      if (walk.everyDueRowTested()) {
        return batch;
      }
      walkFirstWindow = walk.heads().size() == limit;
    }
    List<ClaimedEvent> heads;
    while (batch.size() < limit && (heads = search.next(limit - batch.size())) != null) {
      addWithFollowers(c, heads, batch, limit);
    }
    if (batch.isEmpty()) {
      addWithFollowers(c, search.lastResort(limit), batch, limit);
    }
    held.addAll(search.held());
    walkFirstWindow |= search.firstWindowSpread();
    return batch;
  }

  /**
   * Adds a window's heads and then their followers, so the batch fills in age order: an old chain's
   * waiting events go before the heads of later windows.
   */
  private void addWithFollowers(
      Connection c, List<ClaimedEvent> heads, List<ClaimedEvent> batch, int limit)
      throws SQLException {
    if (heads.isEmpty()) {
      return;
    }
    List<ClaimedEvent> sorted = new ArrayList<>(heads);
    sorted.sort(Comparator.comparingLong(ClaimedEvent::id));
    batch.addAll(sorted);
    if (batch.size() < limit) {
      batch.addAll(followerClaim.claim(c, sorted, limit - batch.size(), rows));
    }
  }
}
