package dev.outbox.internal;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxTables;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of the outbox for one database. This base class holds the statements every supported
 * database accepts as written; a subclass per database overrides only what differs. Table names
 * come from {@link OutboxTables}, which admits only plain identifiers.
 */
public abstract class Dialect {

  /** Columns of an event row, in the order {@link EventRow#read} expects them. */
  static final String EVENT_COLUMNS =
      "id, event_id, event_type, aggregate_type, aggregate_id, topic, payload, headers,"
          + " traceparent, attempts, created_at";

  static final String INSERT_COLUMNS =
      "event_id, event_type, aggregate_type, aggregate_id, topic, payload, headers, traceparent,"
          + " status, attempts, next_attempt_at, created_at";

  private static final String INSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)";

  protected final String events;
  protected final String deadLetters;

  protected Dialect(OutboxTables tables) {
    this.events = tables.events();
    this.deadLetters = tables.deadLetters();
  }

  public abstract DatabaseType type();

  /** Classpath resource holding this database's DDL, written for the default table names. */
  public abstract String schemaResource();

  // ---- writing ------------------------------------------------------------------------------

  public String insertEvents(int rows) {
    return "INSERT INTO " + events + " (" + INSERT_COLUMNS + ") VALUES " + rowsOf(INSERT_ROW, rows);
  }

  /** Whether {@link #insertEvents} returns the inserted event ids instead of failing on a dup. */
  public boolean insertSkipsDuplicates() {
    return false;
  }

  public String deleteEventsById(int count) {
    return "DELETE FROM " + events + " WHERE event_id IN (" + placeholders(count) + ")";
  }

  /** Must see rows committed after the caller's transaction began. */
  public String selectExistingEventIds(int count) {
    return "SELECT event_id FROM " + events + " WHERE event_id IN (" + placeholders(count) + ")";
  }

  public boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  // ---- claiming -----------------------------------------------------------------------------

  /**
   * The ids, due times and aggregates of the oldest due events, read without locks: a window a
   * claim looks for heads in. Rows of the {@code excluded} aggregate ids are left out. Parameters:
   * now, [after due, after due, after id,] the excluded aggregate ids, limit.
   */
  public String selectDueWindow(boolean after, int excluded) {
    return "SELECT id, next_attempt_at, aggregate_type, aggregate_id FROM "
        + events
        + dueIndexHint()
        + " WHERE status IN ('pending', 'retry') AND next_attempt_at <= ?"
        + (after ? " AND (next_attempt_at > ? OR (next_attempt_at = ? AND id > ?))" : "")
        + (excluded > 0 ? " AND aggregate_id NOT IN (" + placeholders(excluded) + ")" : "")
        + " ORDER BY next_attempt_at, id LIMIT ?";
  }

  /**
   * Locks due events that are the head of their aggregate: no older event of the same aggregate is
   * still unsent (or, when held, dead-lettered). Only heads are eligible, so two dispatchers can
   * never publish events of one aggregate at the same time. Parameters: now, the {@code windowIds}
   * ids to look among (none: every due event), limit. In due order, the scan walks the due index
   * and stops at the limit; ids chosen by the caller are looked up by key instead.
   */
  public String claimHeads(boolean holdAfterDeadLetter, int windowIds, boolean inDueOrder) {
    return "SELECT "
        + EVENT_COLUMNS
        + " FROM "
        + events
        + " e WHERE "
        + dueHeads(holdAfterDeadLetter, windowIds)
        + headOrder(inDueOrder)
        + " LIMIT ? "
        + lockSkipLocked();
  }

  protected static String headOrder(boolean inDueOrder) {
    return inDueOrder ? " ORDER BY e.next_attempt_at, e.id" : "";
  }

  protected String dueHeads(boolean holdAfterDeadLetter, int windowIds) {
    return "e.status IN ('pending', 'retry') AND e.next_attempt_at <= ?"
        + (windowIds > 0 ? " AND e.id IN (" + placeholders(windowIds) + ")" : "")
        + headCondition(holdAfterDeadLetter);
  }

  /**
   * The head test is written as correlated scalar subqueries (the oldest unsent id of the aggregate
   * must be this one) rather than NOT EXISTS: a planner turns NOT EXISTS into an anti join, and
   * with statistics taken while few rows were unsent it picked one that scanned the whole unsent
   * index for every candidate (seconds per claim). A scalar subquery always runs as an index lookup
   * per candidate.
   */
  protected String headCondition(boolean holdAfterDeadLetter) {
    List<String> blocking =
        holdAfterDeadLetter
            ? List.of("pending", "retry", "processing", "failed")
            : List.of("pending", "retry", "processing");
    String oldestUnsent = oldestUnsentIsThisOne(blocking);
    if (!holdAfterDeadLetter) {
      return oldestUnsent;
    }
    return oldestUnsent
        + " AND COALESCE((SELECT MIN(d.original_id) FROM "
        + deadLetters
        + " d WHERE d.aggregate_id = e.aggregate_id AND d.aggregate_type = e.aggregate_type),"
        + " e.id) >= e.id";
  }

  /** The head test proper: no row of {@code e}'s aggregate in these statuses has a smaller id. */
  protected String oldestUnsentIsThisOne(List<String> statuses) {
    return " AND e.id = (SELECT MIN(p.id) FROM "
        + events
        + " p WHERE p.aggregate_id = e.aggregate_id AND p.aggregate_type = e.aggregate_type"
        + " AND p.status IN ("
        + statuses.stream().map(status -> "'" + status + "'").collect(Collectors.joining(", "))
        + "))";
  }

  /** Whether {@link #claimAndLeaseHeads} leases the heads it claims, sparing an update. */
  public boolean leasesHeadsWhileClaiming() {
    return false;
  }

  /**
   * Claims heads and takes their lease in one statement, returning the leased rows in {@link
   * #EVENT_COLUMNS} order; only where {@link #leasesHeadsWhileClaiming()}. Parameters: as {@link
   * #claimHeads}, then lease owner, lease expiry.
   */
  public String claimAndLeaseHeads(boolean holdAfterDeadLetter, int windowIds, boolean inDueOrder) {
    throw new UnsupportedOperationException(type() + " leases claimed heads with an update");
  }

  /** A statement run in the claim transaction before the claim, or {@code null} for none. */
  public @Nullable String prepareClaim() {
    return null;
  }

  protected String lockSkipLocked() {
    return "FOR UPDATE SKIP LOCKED";
  }

  /**
   * The first unsent rows after each claimed head, read without locks, to find each aggregate's run
   * of claimable followers: a branch per aggregate (and per {@link #followerStatusGroups() status
   * group}), each an ordered walk of the unsent-aggregate index that stops after {@code
   * perAggregate} rows, so the cost is bounded by the rows returned, not by how many unsent rows
   * the aggregates (or the table) hold. Parameters: aggregate id, aggregate type, head id; for each
   * aggregate {@link #followerBranchesPerAggregate()} times.
   */
  public String selectFollowerCandidates(int aggregates, int perAggregate) {
    List<String> branches = new ArrayList<>();
    for (int i = 0; i < aggregates; i++) {
      for (String statuses : followerStatusGroups()) {
        branches.add(
            "(SELECT id, aggregate_type, aggregate_id, status FROM "
                + events
                + aggregateIndexHint()
                + " WHERE aggregate_id = ? AND aggregate_type = ? AND "
                + statuses
                + " AND id > ? ORDER BY id LIMIT "
                + perAggregate
                + ")");
      }
    }
    return String.join(" UNION ALL ", branches);
  }

  /** How many times each aggregate's parameters repeat in {@link #selectFollowerCandidates}. */
  public int followerBranchesPerAggregate() {
    return followerStatusGroups().size();
  }

  /** The statuses each follower branch reads; together, every unsent status. */
  protected List<String> followerStatusGroups() {
    return List.of("status IN ('pending', 'retry', 'processing', 'failed')");
  }

  /**
   * Moves the waiting events of an aggregate that follow its oldest dead letter out of the claim's
   * way, by making them due later; the dead letter must still be there, as a replay or purge may
   * have come between. Parameters: due at, aggregate id, aggregate type, the dead letter's original
   * id, due at.
   */
  public String parkHeldEvents() {
    return "UPDATE "
        + events
        + " e SET next_attempt_at = ? WHERE e.aggregate_id = ? AND e.aggregate_type = ?"
        + " AND e.status IN ('pending', 'retry') AND e.id > ? AND e.next_attempt_at < ?"
        + " AND EXISTS (SELECT 1 FROM "
        + deadLetters
        + " d WHERE d.aggregate_id = e.aggregate_id AND d.aggregate_type = e.aggregate_type"
        + " AND d.original_id < e.id)";
  }

  /**
   * Makes the events parked behind a dead letter due now. Parameters: now, aggregate id, aggregate
   * type, the dead letter's original id, now.
   */
  public String unparkHeldEvents() {
    return "UPDATE "
        + events
        + " SET next_attempt_at = ? WHERE aggregate_id = ? AND aggregate_type = ?"
        + " AND status IN ('pending', 'retry') AND id > ? AND next_attempt_at > ?";
  }

  /** The aggregate and original id of a dead letter. Parameters: event id. */
  public String selectDeadLetterPlace() {
    return "SELECT aggregate_type, aggregate_id, original_id FROM "
        + deadLetters
        + " WHERE event_id = ?";
  }

  /** The oldest dead letter of each of the given aggregate ids. Parameters: the aggregate ids. */
  public String selectOldestDeadLetters(int aggregateIds) {
    return "SELECT aggregate_type, aggregate_id, MIN(original_id) FROM "
        + deadLetters
        + " WHERE aggregate_id IN ("
        + placeholders(aggregateIds)
        + ") GROUP BY aggregate_type, aggregate_id";
  }

  /**
   * Locks chosen followers that are still waiting; a row locked by someone else is skipped, and the
   * caller treats it as the end of its aggregate's run. Parameters: the ids.
   */
  public String lockFollowers(int ids) {
    return "SELECT "
        + EVENT_COLUMNS
        + " FROM "
        + events
        + " WHERE status IN ('pending', 'retry') AND id IN ("
        + placeholders(ids)
        + ") ORDER BY id "
        + lockSkipLocked();
  }

  protected String aggregateIndexHint() {
    return "";
  }

  protected String dueIndexHint() {
    return "";
  }

  /** Parameters: lease owner, lease expiry, then the ids. */
  public String markProcessing(int ids) {
    return "UPDATE "
        + events
        + " SET status = 'processing', locked_by = ?, locked_until = ?, next_attempt_at = NULL"
        + " WHERE id IN ("
        + placeholders(ids)
        + ")";
  }

  // ---- outcomes: every one is a compare-and-set on the lease owner ---------------------------

  /** Parameters: sent at, lease owner, then the ids. */
  public String markSent(int ids) {
    return "UPDATE "
        + events
        + " SET status = 'sent', sent_at = ?, locked_by = NULL, locked_until = NULL,"
        + " last_error = NULL WHERE status = 'processing' AND locked_by = ? AND id IN ("
        + placeholders(ids)
        + ")";
  }

  /** Parameters: attempts, next attempt at, last error, id, lease owner. */
  public String markRetry() {
    return "UPDATE "
        + events
        + " SET status = 'retry', attempts = ?, next_attempt_at = ?, last_error = ?,"
        + " locked_by = NULL, locked_until = NULL"
        + " WHERE id = ? AND status = 'processing' AND locked_by = ?";
  }

  /** Parameters: attempts, last error, id, lease owner. */
  public String markFailed() {
    return "UPDATE "
        + events
        + " SET status = 'failed', attempts = ?, next_attempt_at = NULL, last_error = ?,"
        + " locked_by = NULL, locked_until = NULL"
        + " WHERE id = ? AND status = 'processing' AND locked_by = ?";
  }

  /** Gives back unattempted events. Parameters: next attempt at, lease owner, then the ids. */
  public String release(int ids) {
    return "UPDATE "
        + events
        + " SET status = CASE WHEN attempts > 0 THEN 'retry' ELSE 'pending' END,"
        + " next_attempt_at = ?, locked_by = NULL, locked_until = NULL"
        + " WHERE status = 'processing' AND locked_by = ? AND id IN ("
        + placeholders(ids)
        + ")";
  }

  // ---- stuck events -------------------------------------------------------------------------

  /**
   * Locks the expired leases that no other transaction holds, so the recovery never waits behind
   * one (a claim left open by a frozen dispatcher) while holding others. Parameters: now.
   */
  public String selectExpiredLeases() {
    return "SELECT id FROM "
        + events
        + " WHERE status = 'processing' AND locked_until < ? ORDER BY id "
        + lockSkipLocked();
  }

  /** Expired leases that used their last attempt. Parameters: last error, max attempts, ids. */
  public String failExpiredLeases(int ids) {
    return "UPDATE "
        + events
        + " SET status = 'failed', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL,"
        + " locked_by = NULL, locked_until = NULL"
        + " WHERE status = 'processing' AND attempts + 1 >= ? AND id IN ("
        + placeholders(ids)
        + ")";
  }

  /** Other expired leases. Parameters: next attempt at, last error, ids. */
  public String retryExpiredLeases(int ids) {
    return "UPDATE "
        + events
        + " SET status = 'retry', attempts = attempts + 1, next_attempt_at = ?, last_error = ?,"
        + " locked_by = NULL, locked_until = NULL"
        + " WHERE status = 'processing' AND id IN ("
        + placeholders(ids)
        + ")";
  }

  // ---- dead letters -------------------------------------------------------------------------

  public String selectFailedForMove() {
    return "SELECT id FROM "
        + events
        + " WHERE status = 'failed' ORDER BY id LIMIT ? "
        + lockSkipLocked();
  }

  /** Parameters: dead-lettered at, then the ids. */
  public String copyFailedToDeadLetters(int ids) {
    return "INSERT INTO "
        + deadLetters
        + " (event_id, original_id, event_type, aggregate_type, aggregate_id, topic, payload,"
        + " headers, traceparent, attempts, last_error, created_at, dead_lettered_at)"
        + " SELECT event_id, id, event_type, aggregate_type, aggregate_id, topic, payload,"
        + " headers, traceparent, attempts, last_error, created_at, ? FROM "
        + events
        + " WHERE status = 'failed' AND id IN ("
        + placeholders(ids)
        + ")";
  }

  public String deleteFailed(int ids) {
    return "DELETE FROM "
        + events
        + " WHERE status = 'failed' AND id IN ("
        + placeholders(ids)
        + ")";
  }

  /** Puts a dead letter back at its original place. Parameters: next attempt at, event id. */
  public String replayDeadLetter() {
    return "INSERT INTO "
        + events
        + " (id, event_id, event_type, aggregate_type, aggregate_id, topic, payload, headers,"
        + " traceparent, status, attempts, next_attempt_at, created_at)"
        + " SELECT original_id, event_id, event_type, aggregate_type, aggregate_id, topic,"
        + " payload, headers, traceparent, 'pending', 0, ?, created_at FROM "
        + deadLetters
        + " WHERE event_id = ?";
  }

  public String deleteDeadLetter() {
    return "DELETE FROM " + deadLetters + " WHERE event_id = ?";
  }

  public String selectDeadLetters(String where) {
    return "SELECT id, event_id, original_id, event_type, aggregate_type, aggregate_id, topic,"
        + " payload, headers, traceparent, attempts, last_error, created_at, dead_lettered_at"
        + " FROM "
        + deadLetters
        + where
        + " ORDER BY id LIMIT ?";
  }

  // ---- cleanup ------------------------------------------------------------------------------

  /** Parameters: cutoff, limit. */
  public String deleteSentBefore() {
    return "DELETE FROM "
        + events
        + " WHERE id IN (SELECT id FROM "
        + events
        + " WHERE status = 'sent' AND sent_at < ? LIMIT ?)";
  }

  /** Parameters: cutoff, limit. */
  public String deleteDeadLettersBefore() {
    return "DELETE FROM "
        + deadLetters
        + " WHERE id IN (SELECT id FROM "
        + deadLetters
        + " WHERE dead_lettered_at < ? LIMIT ?)";
  }

  // ---- metrics ------------------------------------------------------------------------------

  public String countUnsentByStatus() {
    return "SELECT status, COUNT(*) FROM "
        + events
        + " WHERE status IN ('pending', 'retry', 'processing', 'failed') GROUP BY status";
  }

  public String countDeadLetters() {
    return "SELECT COUNT(*) FROM " + deadLetters;
  }

  public String oldestWaitingCreatedAt() {
    return "SELECT MIN(created_at) FROM " + events + " WHERE status IN ('pending', 'retry')";
  }

  // ---- time ---------------------------------------------------------------------------------

  public void setInstant(PreparedStatement ps, int index, @Nullable Instant instant)
      throws SQLException {
    ps.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  public @Nullable Instant getInstant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  // ---- helpers ------------------------------------------------------------------------------

  protected static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  private static String rowsOf(String row, int count) {
    return String.join(", ", Collections.nCopies(count, row));
  }
}
