package dev.outbox.internal;

import dev.outbox.OutboxInspector.Backlog;
import dev.outbox.OutboxInspector.HeldAggregate;
import dev.outbox.OutboxInspector.Lease;
import dev.outbox.OutboxInspector.UnsentEvent;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.EventStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The maintenance workers' reads and writes: stuck leases, dead letters, cleanup, backlog. */
public final class MaintenanceStore {

  /** Unsent rows by status, and the age of the oldest waiting one. */
  private final Transactions tx;

  private final Sql sql;

  public MaintenanceStore(Transactions tx, Dialect dialect) {
    this.tx = tx;
    this.sql = new Sql(dialect);
  }

  /**
   * Expired leases go back to retry with the attempt counted, or to failed when that was the last
   * attempt, so an event that kills its dispatcher cannot loop forever where leases are written to
   * the rows (a claim's transaction that is the lease rolls back uncounted).
   *
   * @return {retried, failed}
   */
  public int[] recoverExpiredLeases(Instant now, int maxAttempts) {
    String error = "lease expired: the dispatcher holding it stopped or stalled";
    return tx.inTransaction(
        "recover stuck outbox events",
        c -> {
          List<Long> expired =
              sql.query(c, sql.dialect().selectExpiredLeases(now), rs -> rs.getLong(1));
          // Rows locked above stay expired and processing until this transaction ends.
          int failed =
              Chunks.forEach(
                  expired,
                  chunk ->
                      sql.update(c, sql.dialect().failExpiredLeases(error, maxAttempts, chunk)));
          int retried =
              Chunks.forEach(
                  expired,
                  chunk -> sql.update(c, sql.dialect().retryExpiredLeases(now, error, chunk)));
          return new int[] {retried, failed};
        });
  }

  /** Moves up to {@code limit} failed events to the dead letters in one transaction. */
  public int moveFailedToDeadLetters(Instant now, int limit) {
    return tx.inTransaction(
        "move failed outbox events to the dead letters",
        c -> {
          List<Long> ids =
              sql.query(c, sql.dialect().selectFailedForMove(limit), rs -> rs.getLong(1));
          if (ids.isEmpty()) {
            return 0;
          }
          int copied = sql.update(c, sql.dialect().copyFailedToDeadLetters(now, ids));
          int deleted = sql.update(c, sql.dialect().deleteFailed(ids));
          if (copied != ids.size() || deleted != ids.size()) {
            // Rolled back by the caller: nothing may be deleted that was not copied.
            throw new IllegalStateException(
                "dead-letter move inconsistent: locked "
                    + ids.size()
                    + ", copied "
                    + copied
                    + ", deleted "
                    + deleted);
          }
          return copied;
        });
  }

  public int deleteSentBefore(Instant cutoff, int limit) {
    return tx.inTransaction(
        "delete sent outbox events",
        c -> sql.update(c, sql.dialect().deleteSentBefore(cutoff, limit)));
  }

  public int deleteDeadLettersBefore(Instant cutoff, int limit) {
    return tx.inTransaction(
        "delete expired dead letters",
        c -> sql.update(c, sql.dialect().deleteDeadLettersBefore(cutoff, limit)));
  }

  /** Who holds leases written in the table: how many events each, until when. */
  public List<Lease> leaseHolders() {
    return tx.inTransaction(
        "list outbox lease holders",
        c ->
            sql.query(
                c,
                sql.dialect().leaseHolders(),
                rs -> new Lease(rs.getString(1), rs.getLong(2), sql.dialect().getInstant(rs, 3))));
  }

  public long countHeldAggregates() {
    return tx.inTransaction(
        "count aggregates held behind dead letters",
        c -> sql.query(c, sql.dialect().countHeldAggregates(), rs -> rs.getLong(1)).get(0));
  }

  /** The aggregates whose waiting events follow a dead letter, the longest held first. */
  public List<HeldAggregate> heldAggregates(int limit) {
    return tx.inTransaction(
        "list aggregates held behind dead letters",
        c ->
            sql.query(
                c,
                sql.dialect().heldAggregates(limit),
                rs ->
                    new HeldAggregate(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        sql.dialect().getInstant(rs, 4))));
  }

  /** An aggregate's events not yet sent nor dead-lettered, in its order. */
  public List<UnsentEvent> unsentEventsOf(String aggregateType, String aggregateId, int limit) {
    return tx.inTransaction(
        "list an aggregate's unsent outbox events",
        c ->
            sql.query(
                c,
                sql.dialect().unsentEventsOf(aggregateType, aggregateId, limit),
                rs ->
                    new UnsentEvent(
                        rs.getString(1),
                        rs.getString(2),
                        EventStatus.fromSql(rs.getString(3)),
                        rs.getInt(4),
                        sql.dialect().getInstant(rs, 5),
                        rs.getString(6))));
  }

  public Backlog backlog() {
    return tx.inTransaction(
        "count outbox backlog",
        c -> {
          Map<EventStatus, Long> counts = new EnumMap<>(EventStatus.class);
          for (Map.Entry<EventStatus, Long> count :
              sql.query(
                  c,
                  sql.dialect().countUnsentByStatus(),
                  rs -> Map.entry(EventStatus.fromSql(rs.getString(1)), rs.getLong(2)))) {
            counts.put(count.getKey(), count.getValue());
          }
          long deadLetters =
              sql.query(c, sql.dialect().countDeadLetters(), rs -> rs.getLong(1)).get(0);
          List<Optional<Instant>> oldest =
              sql.query(
                  c,
                  sql.dialect().oldestWaitingCreatedAt(),
                  rs -> Optional.ofNullable(sql.dialect().getInstant(rs, 1)));
          return new Backlog(
              counts.getOrDefault(EventStatus.PENDING, 0L),
              counts.getOrDefault(EventStatus.RETRY, 0L),
              counts.getOrDefault(EventStatus.PROCESSING, 0L),
              counts.getOrDefault(EventStatus.FAILED, 0L),
              deadLetters,
              oldest.get(0).orElse(null));
        });
  }
}
