package dev.outbox.internal;

import dev.outbox.OutboxDatabaseException;
import dev.outbox.Redaction;
import dev.outbox.spi.SqlStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/**
 * How a claim holds its events until their outcomes are written, owned by {@link #owner()} until
 * {@link #until()}. Where the database leases by transaction ({@link
 * dev.outbox.spi.Dialect#leasesByTransaction}), the claim's transaction stays open and its row
 * locks are the lease: the outcomes are written and committed in it, so each event is written once,
 * and rolling it back gives the events back as they were. Elsewhere the claim marks its rows
 * processing and commits; each outcome is then a compare-and-set on the owner in a transaction of
 * its own, and events nobody writes come back once the lease expires.
 */
abstract sealed class BatchLease permits BatchLease.HeldTransaction, BatchLease.LeasedRows {

  private static final String PURPOSE = "claim outbox events";

  /** What an empty claim holds: no rows, so nothing to write or give back. */
  static final BatchLease NOTHING = new LeasedRows("", Instant.EPOCH);

  private final String owner;
  private final Instant until;

  private BatchLease(String owner, Instant until) {
    this.owner = owner;
    this.until = until;
  }

  /**
   * Claims, under the lease the database uses, the events {@code search} finds in the claim's
   * transaction.
   */
  static ClaimedBatch claim(
      Transactions tx,
      Sql sql,
      String owner,
      Instant now,
      Instant until,
      Transactions.Work<List<ClaimedEvent>> search) {
    return sql.dialect().leasesByTransaction()
        ? HeldTransaction.take(tx, sql, owner, now, until, search)
        : LeasedRows.take(tx, sql, owner, until, search);
  }

  /** The claim that holds the events: the fencing token of every write to them. */
  String owner() {
    return owner;
  }

  Instant until() {
    return until;
  }

  /**
   * Writes the outcomes; an event {@linkplain Outcome.Kind#LEFT_LEASED left leased} stays leased to
   * the owner until the lease ends, so the stuck-event worker decides what became of it.
   */
  abstract OutcomeWriter.Recorded write(OutcomeWriter writer, List<Outcome> outcomes, Instant now);

  /** Whether a write that failed in the database may be tried again while the lease lasts. */
  abstract boolean writeMayBeRetried();

  /** Tells what becomes of the events now that writing their outcomes is given up. */
  abstract void reportWriteGivenUp(Logger log, int attempts, int events, RuntimeException e);

  /** Gives back a claim that was not published, uncounted; {@code release} writes it released. */
  abstract void giveBack(Runnable release);

  /** Ends the lease before its outcomes are written, where ending it gives the events back. */
  abstract void end();

  /** The claim's transaction, still open: its row locks are the lease. */
  static final class HeldTransaction extends BatchLease {

    private final Transactions.OpenTransaction locks;

    private HeldTransaction(String owner, Instant until, Transactions.OpenTransaction locks) {
      super(owner, until);
      this.locks = locks;
    }

    /**
     * A transaction abandoned by a frozen dispatcher is ended by the database once idle for the
     * lease's length; one that found nothing is committed at once.
     */
    private static ClaimedBatch take(
        Transactions tx,
        Sql sql,
        String owner,
        Instant now,
        Instant until,
        Transactions.Work<List<ClaimedEvent>> search) {
      Transactions.OpenTransaction locks = tx.begin(PURPOSE);
      List<ClaimedEvent> claimed =
          locks.run(
              c -> {
                for (SqlStatement limitation :
                    sql.dialect().limitLockHolding(Duration.between(now, until))) {
                  sql.execute(c, limitation);
                }
                return search.run(c);
              });
      if (claimed.isEmpty()) {
        locks.commit();
        return ClaimedBatch.empty();
      }
      return new ClaimedBatch(claimed, new HeldTransaction(owner, until, locks));
    }

    @Override
    OutcomeWriter.Recorded write(OutcomeWriter writer, List<Outcome> outcomes, Instant now) {
      return writer.writeLocked(locks, owner(), until(), outcomes, now);
    }

    /** The failure ended the claim's transaction: there is nothing left to write in. */
    @Override
    boolean writeMayBeRetried() {
      return false;
    }

    @Override
    void reportWriteGivenUp(Logger log, int attempts, int events, RuntimeException e) {
      if (e instanceof OutboxDatabaseException) {
        // Its rows are as before the claim, as after a crash: nothing lost, nothing to take back.
        log.warn(
            "Could not record the outcomes of batch {}, its claim's transaction ended; its {}"
                + " event(s) wait to be published again: {}",
            owner(),
            events,
            Redaction.mask(e.toString()));
      } else {
        logGivenUp(log, owner(), attempts, "published again", e);
      }
    }

    @Override
    void giveBack(Runnable release) {
      end();
    }

    @Override
    void end() {
      try {
        locks.close();
      } catch (OutboxDatabaseException e) {
        // A rollback that failed leaves a broken connection, whose transaction the database
        // rolls back when it ends: the events are given back either way.
      }
    }
  }

  /** A lease written to the rows, the claim's transaction committed. */
  static final class LeasedRows extends BatchLease {

    private LeasedRows(String owner, Instant until) {
      super(owner, until);
    }

    private static ClaimedBatch take(
        Transactions tx,
        Sql sql,
        String owner,
        Instant until,
        Transactions.Work<List<ClaimedEvent>> search) {
      List<ClaimedEvent> claimed =
          tx.inTransaction(
              PURPOSE,
              c -> {
                List<ClaimedEvent> found = search.run(c);
                Chunks.forEach(
                    found.stream().map(ClaimedEvent::id).toList(),
                    chunk -> sql.update(c, sql.dialect().markProcessing(owner, until, chunk)));
                return found;
              });
      return claimed.isEmpty()
          ? ClaimedBatch.empty()
          : new ClaimedBatch(claimed, new LeasedRows(owner, until));
    }

    @Override
    OutcomeWriter.Recorded write(OutcomeWriter writer, List<Outcome> outcomes, Instant now) {
      return writer.writeLeased(owner(), outcomes, now);
    }

    /**
     * Given up, the write would have every event of the batch published again once the lease
     * expires, although the broker has them already.
     */
    @Override
    boolean writeMayBeRetried() {
      return true;
    }

    @Override
    void reportWriteGivenUp(Logger log, int attempts, int events, RuntimeException e) {
      logGivenUp(log, owner(), attempts, "taken back after the lease", e);
    }

    @Override
    void giveBack(Runnable release) {
      release.run();
    }

    /** The rows carry the lease: they come back when it expires. */
    @Override
    void end() {}
  }

  private static void logGivenUp(
      Logger log, String owner, int attempts, String fate, RuntimeException e) {
    if (e instanceof OutboxDatabaseException) {
      // The database's own words say it all; its stack trace only fills the log.
      log.error(
          "Could not record the outcomes of batch {} ({} attempt(s)); its events are {}: {}",
          owner,
          attempts,
          fate,
          Redaction.text(e.getMessage()));
    } else {
      log.error(
          "Could not record the outcomes of batch {} ({} attempt(s)); its events are {}",
          owner,
          attempts,
          fate,
          e);
    }
  }
}
