package dev.outbox.spi;

import dev.outbox.DeadLetterQuery;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxTables;
import dev.outbox.internal.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of the outbox for one kind of database. Each method returns one statement, written out
 * whole with its parameter values beside it; the engine runs it and reads the rows. This class is
 * the ANSI base, which H2 takes as it is; a database's subclass overrides whole statements where it
 * needs other SQL, and nothing else. See "Adding a database" in the documentation.
 *
 * <p>Statements that lock rows must skip rows other transactions hold ({@code SKIP LOCKED}): two
 * dispatchers must never wait on each other, and never take the same row. Statuses are written as
 * the literals of {@link EventStatus#sql()}. Table names come from {@link OutboxTables}, which
 * admits only plain identifiers.
 */
public abstract class Dialect {

  /** The columns of an event row that the claim statements return, in this order. */
  protected static final String EVENT_COLUMNS =
      "id, event_id, event_type, aggregate_type, aggregate_id, topic, payload, headers,"
          + " traceparent, attempts, created_at, replayed_at";

  /** The events table's name. */
  protected final String events;

  /** The dead-letters table's name. */
  protected final String deadLetters;

  /**
   * Creates the dialect for these tables; the names are already validated identifiers.
   *
   * @param tables the outbox's table names, put into every statement
   */
  protected Dialect(OutboxTables tables) {
    this.events = tables.events();
    this.deadLetters = tables.deadLetters();
  }

  /**
   * The database's name, as logs show it.
   *
   * @return a short name such as "PostgreSQL"
   */
  public abstract String name();

  /**
   * Classpath resource holding this database's DDL, written for the default table names: every
   * occurrence of {@code outbox_events} and {@code outbox_deadletters} is replaced for other names.
   *
   * @return the resource path, loadable from this class's module
   */
  public abstract String schemaResource();

  // ---- time: every timestamp column holds UTC ---------------------------------------------------

  /**
   * Binds an instant to a timestamp parameter as UTC, the zone every timestamp column holds.
   *
   * @param ps the statement to bind into
   * @param index the parameter's position, from 1
   * @param instant the value to bind
   * @throws SQLException if the driver rejects the value
   */
  public void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  /**
   * The instant in a timestamp column, or {@code null} when it is NULL.
   *
   * @param rs the result set, positioned on a row
   * @param column the column's position, from 1
   * @return the instant, or {@code null}
   * @throws SQLException if the driver cannot read the column as a timestamp
   */
  public @Nullable Instant getInstant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  // ---- saving events ----------------------------------------------------------------------------

  /**
   * Inserts the events, pending, created and due at {@code now}, or when it is null at the
   * database's {@link #currentTime() current time}. Unless {@link #insertSkipsDuplicates()}, an
   * event id already in the table makes the statement fail with an error {@link #isDuplicateKey}
   * recognises, and writes none of the rows.
   *
   * @param batch the events to insert, in order; not empty
   * @param now the creation and due time, or {@code null} for the database's clock
   * @return one multi-row insert; where duplicates are skipped, it returns the inserted event ids
   */
  public SqlStatement insertEvents(List<OutboxEvent> batch, @Nullable Instant now) {
    List<Object> values = new ArrayList<>();
    for (OutboxEvent event : batch) {
      Collections.addAll(
          values,
          event.eventId(),
          event.eventType(),
          event.aggregateType(),
          event.aggregateId(),
          event.topic(),
          event.payload());
      values.add(headersJson(event));
      values.add(event.traceparent());
      if (now != null) {
        Collections.addAll(values, now, now);
      }
    }
    String time = now != null ? "?, ?" : currentTime() + ", " + currentTime();
    return SqlStatement.of(
        "INSERT INTO "
            + events
            + " (event_id, event_type, aggregate_type, aggregate_id, topic, payload, headers,"
            + " traceparent, status, attempts, next_attempt_at, created_at) VALUES "
            + rows("(?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, " + time + ")", batch.size()),
        values);
  }

  /**
   * The database's current time, as an SQL expression of the type of the timestamp columns: the
   * time every dispatcher and writer compares against, whatever their hosts' clocks say. Best one
   * that moves within a transaction, as a writer's may be long (H2's stays at the transaction's
   * start, which only makes its events due a little earlier).
   *
   * @return an SQL expression, put into statements as it is
   */
  protected String currentTime() {
    return "CURRENT_TIMESTAMP";
  }

  /**
   * Reads the database's {@link #currentTime() current time}. Returns one timestamp.
   *
   * @return the query
   */
  public SqlStatement selectCurrentTime() {
    return SqlStatement.of("SELECT " + currentTime());
  }

  /**
   * Whether {@link #insertEvents} leaves out rows whose event id exists and returns the event ids
   * it did insert, instead of failing: needed where a failed statement aborts the whole
   * transaction.
   *
   * @return {@code true} if inserts skip existing event ids; {@code false} by default
   */
  public boolean insertSkipsDuplicates() {
    return false;
  }

  /**
   * Whether the error is a duplicate event id (a unique-key violation).
   *
   * @param e an error from {@link #insertEvents}
   * @return {@code true} for a unique-key violation (SQLSTATE 23505 by default)
   */
  public boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /**
   * Which of these event ids the table holds; must see rows committed after the caller's
   * transaction began (the row that just made an insert fail). Returns the event ids.
   *
   * @param eventIds the event ids to look for; not empty
   * @return the query
   */
  public SqlStatement selectExistingEventIds(List<String> eventIds) {
    return SqlStatement.of(
        "SELECT event_id FROM "
            + events
            + " WHERE event_id IN ("
            + placeholders(eventIds.size())
            + ")",
        eventIds);
  }

  /**
   * Deletes the events with these event ids (what a failed save had already written).
   *
   * @param eventIds the event ids to delete; not empty
   * @return the delete
   */
  public SqlStatement deleteEvents(List<String> eventIds) {
    return SqlStatement.of(
        "DELETE FROM " + events + " WHERE event_id IN (" + placeholders(eventIds.size()) + ")",
        eventIds);
  }

  // ---- claiming ---------------------------------------------------------------------------------

  /**
   * Statements the claim transaction runs first, such as planner settings for it alone; none by
   * default.
   *
   * @return the statements, in the order to run them
   */
  public List<SqlStatement> claimPreparation() {
    return List.of();
  }

  /**
   * A window of the oldest due events, in due order, read without locks: the claim looks for
   * aggregate heads among them. Starts after the window ending at ({@code afterDue}, {@code
   * afterId}) unless {@code afterDue} is null, and leaves out the events of the excluded aggregate
   * ids. Returns id, next_attempt_at, aggregate_type, aggregate_id.
   *
   * @param now events due at or before this time count
   * @param afterDue the due time of the previous window's last event, or {@code null} to start at
   *     the oldest
   * @param afterId the id of the previous window's last event; ignored when {@code afterDue} is
   *     null
   * @param excludedAggregateIds aggregate ids to leave out, may be empty
   * @param limit the most rows to return
   * @return the query
   */
  public SqlStatement selectDueWindow(
      Instant now,
      @Nullable Instant afterDue,
      long afterId,
      List<String> excludedAggregateIds,
      int limit) {
    boolean after = afterDue != null;
    return SqlStatement.of(
        "SELECT id, next_attempt_at, aggregate_type, aggregate_id FROM "
            + events
            + " WHERE status IN ('pending', 'retry') AND next_attempt_at <= ?"
            + (after ? " AND (next_attempt_at > ? OR (next_attempt_at = ? AND id > ?))" : "")
            + (excludedAggregateIds.isEmpty()
                ? ""
                : " AND aggregate_id NOT IN (" + placeholders(excludedAggregateIds.size()) + ")")
            + " ORDER BY next_attempt_at, id LIMIT ?",
        now,
        after ? List.of(afterDue, afterDue, afterId) : List.of(),
        excludedAggregateIds,
        limit);
  }

  /**
   * The due time and id of the {@code position}-th oldest due event (counted from 1), where a
   * window of that many ends; no row when fewer are due.
   *
   * @param now events due at or before this time count
   * @param position the window's size, 1 or more
   * @return the query, returning next_attempt_at, id
   */
  public SqlStatement selectDueWindowEnd(Instant now, int position) {
    return SqlStatement.of(
        "SELECT next_attempt_at, id FROM "
            + events
            + " WHERE status IN ('pending', 'retry') AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at, id LIMIT 1 OFFSET ?",
        now,
        position - 1);
  }

  /**
   * Whether a claim's transaction may stay open while its batch is published, its row locks being
   * the lease: the rows are then written once, when their outcomes are, in that transaction,
   * instead of being leased first and written again. Needs {@link #limitLockHolding} to end the
   * transaction of a dispatcher that froze holding them. Otherwise the claim leases its rows
   * (status processing, owner, expiry) and commits.
   *
   * @return {@code true} if claims hold row locks as their lease; {@code false} by default
   */
  public boolean leasesByTransaction() {
    return false;
  }

  /**
   * Statements that make the database end the current transaction, releasing its locks, once it has
   * been idle (no statement running) for {@code idle}; for {@link #leasesByTransaction}.
   *
   * @param idle how long a transaction may sit idle before the database ends it
   * @return the statements to run in the claim's session; none by default
   */
  public List<SqlStatement> limitLockHolding(Duration idle) {
    return List.of();
  }

  /**
   * Locks up to {@code limit} due events (due at {@code dueBound} or earlier, and if {@code
   * lastIdAtBound} is given, of those due exactly then only up to that id) that are the head of
   * their aggregate: no older row of the aggregate is unsent (pending, retry, processing, and under
   * {@code holdAfterDeadLetter} failed), and under {@code holdAfterDeadLetter} no dead letter of
   * the aggregate is older. Only heads are eligible, so two dispatchers never publish events of one
   * aggregate at once. Looks only among {@code windowIds} unless it is empty; {@code inDueOrder}
   * walks the due index in order and stops at the limit. Returns {@link #EVENT_COLUMNS}.
   *
   * <p>The head test is a correlated scalar subquery (the oldest unsent id of the aggregate must be
   * this one) rather than NOT EXISTS: a planner turns NOT EXISTS into an anti join, and with
   * statistics taken while few rows were unsent it picked one that scanned the whole unsent index
   * for every candidate (seconds per claim). A scalar subquery always runs as one index lookup per
   * candidate.
   *
   * @param query the bounds, window and limit of the claim
   * @return the locking query
   */
  public SqlStatement claimHeads(HeadClaimQuery query) {
    Long lastIdAtBound = query.lastIdAtBound();
    return SqlStatement.of(
        "SELECT "
            + EVENT_COLUMNS
            + " FROM "
            + events
            + " e WHERE e.status IN ('pending', 'retry') AND e.next_attempt_at <= ?"
            + (lastIdAtBound == null ? "" : " AND (e.next_attempt_at < ? OR e.id <= ?)")
            + (query.windowIds().isEmpty()
                ? ""
                : " AND e.id IN (" + placeholders(query.windowIds().size()) + ")")
            + " AND e.id = (SELECT MIN(p.id) FROM "
            + events
            + " p WHERE p.aggregate_id = e.aggregate_id AND p.aggregate_type = e.aggregate_type"
            + (query.holdAfterDeadLetter()
                ? " AND p.status IN ('pending', 'retry', 'processing', 'failed'))"
                    + " AND COALESCE((SELECT MIN(d.original_id) FROM "
                    + deadLetters
                    + " d WHERE d.aggregate_id = e.aggregate_id"
                    + " AND d.aggregate_type = e.aggregate_type), e.id) >= e.id"
                : " AND p.status IN ('pending', 'retry', 'processing'))")
            + (query.inDueOrder() ? " ORDER BY e.next_attempt_at, e.id" : "")
            + " LIMIT ? FOR UPDATE SKIP LOCKED",
        query.dueBound(),
        lastIdAtBound == null ? List.of() : List.of(query.dueBound(), lastIdAtBound),
        query.windowIds(),
        query.limit());
  }

  /**
   * Where one aggregate's walk in {@link #selectFollowerCandidates} starts: after this row id.
   *
   * @param aggregateType the aggregate's type
   * @param aggregateId the aggregate's id
   * @param afterId the row id after which the walk begins, exclusive
   */
  public record AggregateStart(String aggregateType, String aggregateId, long afterId) {}

  /**
   * The first unsent rows of each aggregate after its start, read without locks: at most {@code
   * perAggregate} rows per aggregate and per branch of the query, each branch an ordered walk of
   * the aggregate index that stops at its limit, so the cost is bounded by the rows returned, not
   * by how many unsent rows the aggregates (or the table) hold. Returns id, aggregate_type,
   * aggregate_id, status.
   *
   * @param starts one start per aggregate; not empty
   * @param perAggregate the most rows to read per aggregate and branch
   * @return the query
   */
  public SqlStatement selectFollowerCandidates(List<AggregateStart> starts, int perAggregate) {
    List<String> branches = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (AggregateStart start : starts) {
      branches.add(
          "(SELECT id, aggregate_type, aggregate_id, status FROM "
              + events
              + " WHERE aggregate_id = ? AND aggregate_type = ?"
              + " AND status IN ('pending', 'retry', 'processing', 'failed')"
              + " AND id > ? ORDER BY id LIMIT "
              + perAggregate
              + ")");
      Collections.addAll(values, start.aggregateId(), start.aggregateType(), start.afterId());
    }
    return SqlStatement.of(String.join(" UNION ALL ", branches), values);
  }

  /**
   * Locks the chosen followers that are still waiting, skipping rows someone else holds (the claim
   * ends an aggregate's run there). Returns {@link #EVENT_COLUMNS}.
   *
   * @param ids the row ids of the chosen followers; not empty
   * @return the locking query
   */
  public SqlStatement lockFollowers(List<Long> ids) {
    return SqlStatement.of(
        "SELECT "
            + EVENT_COLUMNS
            + " FROM "
            + events
            + " WHERE status IN ('pending', 'retry') AND id IN ("
            + placeholders(ids.size())
            + ") ORDER BY id FOR UPDATE SKIP LOCKED",
        ids);
  }

  /**
   * Leases claimed events to {@code owner} until {@code leaseUntil}: status processing, with no due
   * time while leased.
   *
   * @param owner the claiming dispatcher's id
   * @param leaseUntil when the lease expires and recovery may take the rows back
   * @param ids the claimed row ids; not empty
   * @return the update
   */
  public SqlStatement markProcessing(String owner, Instant leaseUntil, List<Long> ids) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " SET status = 'processing', locked_by = ?, locked_until = ?, next_attempt_at = NULL"
            + " WHERE id IN ("
            + placeholders(ids.size())
            + ")",
        owner,
        leaseUntil,
        ids);
  }

  /**
   * The original id of the oldest dead letter of each aggregate with one of these ids. Returns
   * aggregate_type, aggregate_id, MIN(original_id), one row per aggregate.
   *
   * @param aggregateIds the aggregate ids to look up; not empty
   * @return the query
   */
  public SqlStatement selectOldestDeadLetters(List<String> aggregateIds) {
    return SqlStatement.of(
        "SELECT aggregate_type, aggregate_id, MIN(original_id) FROM "
            + deadLetters
            + " WHERE aggregate_id IN ("
            + placeholders(aggregateIds.size())
            + ") GROUP BY aggregate_type, aggregate_id",
        aggregateIds);
  }

  /**
   * Moves an aggregate's waiting events that follow its dead letter out of the claim's way, making
   * them due {@code until}; only while a dead letter older than each of them is still there, as a
   * replay or purge may have come between.
   *
   * @param until the due time to give the held events
   * @param aggregateType the aggregate's type
   * @param aggregateId the aggregate's id
   * @param deadLetterId the original row id of the aggregate's dead letter; only later rows move
   * @return the update
   */
  public SqlStatement parkHeldEvents(
      Instant until, String aggregateType, String aggregateId, long deadLetterId) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " e SET next_attempt_at = ? WHERE e.aggregate_id = ? AND e.aggregate_type = ?"
            + " AND e.status IN ('pending', 'retry') AND e.id > ? AND e.next_attempt_at < ?"
            + " AND EXISTS (SELECT 1 FROM "
            + deadLetters
            + " d WHERE d.aggregate_id = e.aggregate_id AND d.aggregate_type = e.aggregate_type"
            + " AND d.original_id < e.id)",
        until,
        aggregateId,
        aggregateType,
        deadLetterId,
        until);
  }

  /**
   * Makes the events parked behind a dead letter due {@code now}: those after {@code deadLetterId}
   * that are due later.
   *
   * @param now the due time to give them
   * @param aggregateType the aggregate's type
   * @param aggregateId the aggregate's id
   * @param deadLetterId the original row id of the dead letter that held them
   * @return the update
   */
  public SqlStatement unparkHeldEvents(
      Instant now, String aggregateType, String aggregateId, long deadLetterId) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " SET next_attempt_at = ? WHERE aggregate_id = ? AND aggregate_type = ?"
            + " AND status IN ('pending', 'retry') AND id > ? AND next_attempt_at > ?",
        now,
        aggregateId,
        aggregateType,
        deadLetterId,
        now);
  }

  // ---- outcomes: each one a compare-and-set on the lease owner ----------------------------------
  // A null owner stands for the rows this transaction holds locked since it claimed them.

  /**
   * Marks events sent and clears their lease and last error, where {@code owner} still holds them.
   *
   * @param sentAt when the broker acknowledged them
   * @param owner the lease owner, or {@code null} for rows this transaction holds locked
   * @param ids the row ids; not empty
   * @return the update; its count tells how many were still held
   */
  public SqlStatement markSent(Instant sentAt, @Nullable String owner, List<Long> ids) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " SET status = 'sent', sent_at = ?, locked_by = NULL, locked_until = NULL,"
            + " last_error = NULL WHERE "
            + heldBy(owner)
            + " AND id IN ("
            + placeholders(ids.size())
            + ")",
        sentAt,
        ownerParameter(owner),
        ids);
  }

  /**
   * Schedules a failed event for another attempt at {@code nextAttemptAt} and clears its lease,
   * where {@code owner} still holds it.
   *
   * @param id the row id
   * @param owner the lease owner, or {@code null} for a row this transaction holds locked
   * @param attempts the attempts made so far, this one included
   * @param nextAttemptAt when the event is due again
   * @param error the failure, stored as its last error
   * @return the update; a count of 0 means the lease was lost
   */
  public SqlStatement markRetry(
      long id, @Nullable String owner, int attempts, Instant nextAttemptAt, String error) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " SET status = 'retry', attempts = ?, next_attempt_at = ?, last_error = ?,"
            + " locked_by = NULL, locked_until = NULL WHERE id = ? AND "
            + heldBy(owner),
        attempts,
        nextAttemptAt,
        error,
        id,
        ownerParameter(owner));
  }

  /**
   * Marks an event failed, to be moved to the dead letters, and clears its lease, where {@code
   * owner} still holds it.
   *
   * @param id the row id
   * @param owner the lease owner, or {@code null} for a row this transaction holds locked
   * @param attempts the attempts made, this one included
   * @param error the failure, stored as its last error
   * @return the update; a count of 0 means the lease was lost
   */
  public SqlStatement markFailed(long id, @Nullable String owner, int attempts, String error) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " SET status = 'failed', attempts = ?, next_attempt_at = NULL, last_error = ?,"
            + " locked_by = NULL, locked_until = NULL WHERE id = ? AND "
            + heldBy(owner),
        attempts,
        error,
        id,
        ownerParameter(owner));
  }

  /** The compare-and-set of an outcome: leased to {@code owner}, or locked here while waiting. */
  private static String heldBy(@Nullable String owner) {
    return owner == null
        ? "status IN ('pending', 'retry')"
        : "status = 'processing' AND locked_by = ?";
  }

  private static List<String> ownerParameter(@Nullable String owner) {
    return owner == null ? List.of() : List.of(owner);
  }

  /**
   * Gives back events that were not attempted, uncounted, due at {@code nextAttemptAt}.
   *
   * @param nextAttemptAt when the events are due again
   * @param owner the lease owner, or {@code null} for rows this transaction holds locked
   * @param ids the row ids; not empty
   * @return the update
   */
  public SqlStatement release(Instant nextAttemptAt, @Nullable String owner, List<Long> ids) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " SET status = CASE WHEN attempts > 0 THEN 'retry' ELSE 'pending' END,"
            + " next_attempt_at = ?, locked_by = NULL, locked_until = NULL WHERE "
            + heldBy(owner)
            + " AND id IN ("
            + placeholders(ids.size())
            + ")",
        nextAttemptAt,
        ownerParameter(owner),
        ids);
  }

  // ---- expired leases ---------------------------------------------------------------------------

  /**
   * Locks the expired leases no other transaction holds, so recovery never waits behind one (a
   * claim left open by a frozen dispatcher) while holding others. Returns the ids.
   *
   * @param now leases that expired before this time count
   * @return the locking query
   */
  public SqlStatement selectExpiredLeases(Instant now) {
    return SqlStatement.of(
        "SELECT id FROM "
            + events
            + " WHERE status = 'processing' AND locked_until < ? ORDER BY id FOR UPDATE SKIP LOCKED",
        now);
  }

  /**
   * Of these expired leases, those that used their last attempt become failed, counted.
   *
   * @param error the last error to record
   * @param maxAttempts the attempts an event may have; a lease that reaches it fails
   * @param ids the expired leases' row ids, locked by {@link #selectExpiredLeases}; not empty
   * @return the update
   */
  public SqlStatement failExpiredLeases(String error, int maxAttempts, List<Long> ids) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " SET status = 'failed', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL,"
            + " locked_by = NULL, locked_until = NULL"
            + " WHERE status = 'processing' AND attempts + 1 >= ? AND id IN ("
            + placeholders(ids.size())
            + ")",
        error,
        maxAttempts,
        ids);
  }

  /**
   * The other expired leases go back to retry, counted, due at {@code nextAttemptAt}.
   *
   * @param nextAttemptAt when the events are due again
   * @param error the last error to record
   * @param ids the expired leases' row ids, locked by {@link #selectExpiredLeases}; not empty
   * @return the update
   */
  public SqlStatement retryExpiredLeases(Instant nextAttemptAt, String error, List<Long> ids) {
    return SqlStatement.of(
        "UPDATE "
            + events
            + " SET status = 'retry', attempts = attempts + 1, next_attempt_at = ?, last_error = ?,"
            + " locked_by = NULL, locked_until = NULL"
            + " WHERE status = 'processing' AND id IN ("
            + placeholders(ids.size())
            + ")",
        nextAttemptAt,
        error,
        ids);
  }

  // ---- dead letters -----------------------------------------------------------------------------

  /**
   * Locks up to {@code limit} failed events, oldest first. Returns the ids.
   *
   * @param limit the most rows to lock
   * @return the locking query
   */
  public SqlStatement selectFailedForMove(int limit) {
    return SqlStatement.of(
        "SELECT id FROM "
            + events
            + " WHERE status = 'failed' ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
        limit);
  }

  /**
   * Copies failed events into the dead-letters table, keeping each row id as its original id so a
   * replay puts it back in its place.
   *
   * @param deadLetteredAt the time to record as when they became dead letters
   * @param ids the failed row ids, locked by {@link #selectFailedForMove}; not empty
   * @return the insert
   */
  public SqlStatement copyFailedToDeadLetters(Instant deadLetteredAt, List<Long> ids) {
    return SqlStatement.of(
        "INSERT INTO "
            + deadLetters
            + " (event_id, original_id, event_type, aggregate_type, aggregate_id, topic, payload,"
            + " headers, traceparent, attempts, last_error, created_at, dead_lettered_at)"
            + " SELECT event_id, id, event_type, aggregate_type, aggregate_id, topic, payload,"
            + " headers, traceparent, attempts, last_error, created_at, ? FROM "
            + events
            + " WHERE status = 'failed' AND id IN ("
            + placeholders(ids.size())
            + ")",
        deadLetteredAt,
        ids);
  }

  /**
   * Deletes failed events from the events table, once {@link #copyFailedToDeadLetters} has copied
   * them.
   *
   * @param ids the failed row ids; not empty
   * @return the delete
   */
  public SqlStatement deleteFailed(List<Long> ids) {
    return SqlStatement.of(
        "DELETE FROM "
            + events
            + " WHERE status = 'failed' AND id IN ("
            + placeholders(ids.size())
            + ")",
        ids);
  }

  /**
   * A page of dead letters matching the query, by id. Returns id, event_id, original_id,
   * event_type, aggregate_type, aggregate_id, topic, payload, headers, traceparent, attempts,
   * last_error, created_at, dead_lettered_at.
   *
   * @param query the filters, the id to start after and the page size
   * @return the query
   */
  public SqlStatement selectDeadLetters(DeadLetterQuery query) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, event_id, original_id, event_type, aggregate_type, aggregate_id, topic,"
                + " payload, headers, traceparent, attempts, last_error, created_at,"
                + " dead_lettered_at FROM "
                + deadLetters);
    List<Object> values = new ArrayList<>();
    appendDeadLetterFilters(query, sql, values);
    sql.append(" ORDER BY id LIMIT ?");
    values.add(query.limit());
    return SqlStatement.of(sql.toString(), values);
  }

  /**
   * How many dead letters match the query's filters, on every page after its {@code afterId}.
   *
   * @param query the filters; its limit is ignored
   * @return the query, returning one count
   */
  public SqlStatement countDeadLetters(DeadLetterQuery query) {
    StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM " + deadLetters);
    List<Object> values = new ArrayList<>();
    appendDeadLetterFilters(query, sql, values);
    return SqlStatement.of(sql.toString(), values);
  }

  private static void appendDeadLetterFilters(
      DeadLetterQuery query, StringBuilder sql, List<Object> values) {
    sql.append(" WHERE id > ?");
    values.add(query.afterId());
    if (query.eventId() != null) {
      sql.append(" AND event_id = ?");
      values.add(query.eventId());
    }
    String errorContains = query.errorContains();
    if (errorContains != null) {
      // '!' escapes: a backslash would need doubling in MySQL's string literals and not elsewhere.
      // Both sides lowered by the database: Java's lowering differs from SQL's outside ASCII.
      sql.append(" AND LOWER(last_error) LIKE LOWER(?) ESCAPE '!'");
      values.add(
          "%" + errorContains.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
    }
    if (query.eventType() != null) {
      sql.append(" AND event_type = ?");
      values.add(query.eventType());
    }
    if (query.aggregateType() != null) {
      sql.append(" AND aggregate_type = ?");
      values.add(query.aggregateType());
    }
    if (query.aggregateId() != null) {
      sql.append(" AND aggregate_id = ?");
      values.add(query.aggregateId());
    }
    if (query.from() != null) {
      sql.append(" AND dead_lettered_at >= ?");
      values.add(query.from());
    }
    if (query.to() != null) {
      sql.append(" AND dead_lettered_at < ?");
      values.add(query.to());
    }
  }

  /**
   * Where a dead letter belongs in its aggregate. Returns aggregate_type, aggregate_id,
   * original_id; no row when no dead letter has this event id.
   *
   * @param eventId the dead letter's event id
   * @return the query
   */
  public SqlStatement selectDeadLetterPlace(String eventId) {
    return SqlStatement.of(
        "SELECT aggregate_type, aggregate_id, original_id FROM "
            + deadLetters
            + " WHERE event_id = ?",
        eventId);
  }

  /**
   * Puts a dead letter back into the events table with its original id, so it keeps its place in
   * its aggregate's order, pending with no attempts, due and replayed at {@code now}. It keeps its
   * {@code created_at}, the time it was written, which consumers see; {@code replayed_at} is where
   * its publishing latency counts from.
   *
   * @param eventId the dead letter's event id
   * @param now the due and replay time
   * @return the insert; a count of 0 means no such dead letter
   */
  public SqlStatement replayDeadLetter(String eventId, Instant now) {
    return SqlStatement.of(
        "INSERT INTO "
            + events
            + " (id, event_id, event_type, aggregate_type, aggregate_id, topic, payload, headers,"
            + " traceparent, status, attempts, next_attempt_at, created_at, replayed_at)"
            + " SELECT original_id, event_id, event_type, aggregate_type, aggregate_id, topic,"
            + " payload, headers, traceparent, 'pending', 0, ?, created_at, ? FROM "
            + deadLetters
            + " WHERE event_id = ?",
        now,
        now,
        eventId);
  }

  /**
   * Deletes one dead letter, after a replay or as a purge.
   *
   * @param eventId the dead letter's event id
   * @return the delete; a count of 0 means no such dead letter
   */
  public SqlStatement deleteDeadLetter(String eventId) {
    return SqlStatement.of("DELETE FROM " + deadLetters + " WHERE event_id = ?", eventId);
  }

  // ---- cleanup ----------------------------------------------------------------------------------

  /**
   * Deletes up to {@code limit} events sent before the cutoff.
   *
   * @param cutoff events sent before this time are deleted
   * @param limit the most rows to delete in one statement, to keep transactions short
   * @return the delete
   */
  public SqlStatement deleteSentBefore(Instant cutoff, int limit) {
    return SqlStatement.of(
        "DELETE FROM "
            + events
            + " WHERE id IN (SELECT id FROM "
            + events
            + " WHERE status = 'sent' AND sent_at < ? LIMIT ?)",
        cutoff,
        limit);
  }

  /**
   * Deletes up to {@code limit} dead letters made before the cutoff.
   *
   * @param cutoff dead letters made before this time are deleted
   * @param limit the most rows to delete in one statement
   * @return the delete
   */
  public SqlStatement deleteDeadLettersBefore(Instant cutoff, int limit) {
    return SqlStatement.of(
        "DELETE FROM "
            + deadLetters
            + " WHERE id IN (SELECT id FROM "
            + deadLetters
            + " WHERE dead_lettered_at < ? LIMIT ?)",
        cutoff,
        limit);
  }

  // ---- backlog ----------------------------------------------------------------------------------

  /**
   * Counts the unsent events by status. Returns status, count, one row per status present.
   *
   * @return the query
   */
  public SqlStatement countUnsentByStatus() {
    return SqlStatement.of(
        "SELECT status, COUNT(*) FROM "
            + events
            + " WHERE status IN ('pending', 'retry', 'processing', 'failed') GROUP BY status");
  }

  /**
   * Counts all dead letters. Returns one count.
   *
   * @return the query
   */
  public SqlStatement countDeadLetters() {
    return SqlStatement.of("SELECT COUNT(*) FROM " + deadLetters);
  }

  /**
   * The oldest waiting event's time: when it was written, or replayed if it was, so that a replayed
   * event does not read as waiting since its first commit.
   *
   * @return the query, returning one timestamp, NULL when nothing waits
   */
  public SqlStatement oldestWaitingCreatedAt() {
    return SqlStatement.of(
        "SELECT MIN(COALESCE(replayed_at, created_at)) FROM "
            + events
            + " WHERE status IN ('pending', 'retry')");
  }

  /**
   * Returns owner, count and latest expiry of the leases held in the table, one row per owner. A
   * dialect that {@linkplain #leasesByTransaction() leases by transaction} holds most of its claims
   * without writing them; the table shows only those written as a lease.
   *
   * @return the query
   */
  public SqlStatement leaseHolders() {
    return SqlStatement.of(
        "SELECT locked_by, COUNT(*), MAX(locked_until) FROM "
            + events
            + " WHERE status = 'processing' GROUP BY locked_by ORDER BY locked_by");
  }

  /**
   * Returns aggregate type, aggregate id, count and oldest {@code created_at} of the waiting events
   * that follow one of their aggregate's dead letters, one row per aggregate, the longest held
   * first. Driven from the dead letters, usually far fewer than the waiting events, each looked up
   * by the unsent events' aggregate index.
   *
   * @param limit the most aggregates to return
   * @return the query
   */
  public SqlStatement heldAggregates(int limit) {
    return SqlStatement.of(
        "SELECT d.aggregate_type, d.aggregate_id, COUNT(*), MIN(e.created_at) FROM (SELECT"
            + " aggregate_type, aggregate_id, MIN(original_id) AS first_id FROM "
            + deadLetters
            + " GROUP BY aggregate_type, aggregate_id) d JOIN "
            + events
            + " e ON e.aggregate_id = d.aggregate_id AND e.aggregate_type = d.aggregate_type"
            + " AND e.status IN ('pending', 'retry') AND e.id > d.first_id"
            + " GROUP BY d.aggregate_type, d.aggregate_id ORDER BY MIN(e.id) LIMIT ?",
        limit);
  }

  /**
   * How many aggregates {@link #heldAggregates} would list without a limit.
   *
   * @return the query, returning one count
   */
  public SqlStatement countHeldAggregates() {
    return SqlStatement.of(
        "SELECT COUNT(*) FROM (SELECT aggregate_type, aggregate_id, MIN(original_id) AS first_id"
            + " FROM "
            + deadLetters
            + " GROUP BY aggregate_type, aggregate_id) d WHERE EXISTS (SELECT 1 FROM "
            + events
            + " e WHERE e.aggregate_id = d.aggregate_id AND e.aggregate_type = d.aggregate_type"
            + " AND e.status IN ('pending', 'retry') AND e.id > d.first_id)");
  }

  /**
   * Returns event id, event type, status, attempts, created_at and last error of an aggregate's
   * unsent events, in its order.
   *
   * @param aggregateType the aggregate's type
   * @param aggregateId the aggregate's id
   * @param limit the most events to return
   * @return the query
   */
  public SqlStatement unsentEventsOf(String aggregateType, String aggregateId, int limit) {
    return SqlStatement.of(
        "SELECT event_id, event_type, status, attempts, created_at, last_error FROM "
            + events
            + " WHERE aggregate_id = ? AND aggregate_type = ?"
            + " AND status IN ('pending', 'retry', 'processing', 'failed') ORDER BY id LIMIT ?",
        aggregateId,
        aggregateType,
        limit);
  }

  // ---- for the statements -----------------------------------------------------------------------

  /**
   * {@code count} comma-separated parameter markers, for an {@code IN} list.
   *
   * @param count how many markers, 1 or more
   * @return the markers, such as {@code "?, ?, ?"}
   */
  protected static String placeholders(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }

  /**
   * The events' custom headers as the JSON object the {@code headers} column holds, or null.
   *
   * @param event the event whose headers to write
   * @return the JSON text, or {@code null} when the event has no headers
   */
  protected static @Nullable String headersJson(OutboxEvent event) {
    return event.headers().isEmpty() ? null : Json.write(event.headers());
  }

  private static String rows(String row, int count) {
    return String.join(", ", Collections.nCopies(count, row));
  }
}
