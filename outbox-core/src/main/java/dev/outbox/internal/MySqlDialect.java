package dev.outbox.internal;

import dev.outbox.OutboxTables;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.EventStatus;
import dev.outbox.spi.HeadClaimQuery;
import dev.outbox.spi.SqlStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * MySQL 8+ and MariaDB 10.6+. Timestamps are {@code DATETIME(6)} holding UTC, bound as UTC local
 * date-times so neither the JVM's nor the session's time zone can shift them.
 *
 * <p>Index hints: {@code FORCE INDEX} is honoured by both MySQL 8 and MariaDB and makes a table
 * scan the alternative of last resort; each one below says why the planner's own choice was wrong.
 */
public final class MySqlDialect extends Dialect {

  private static final int ER_DUP_ENTRY = 1062;

  private final String name;

  /** The unqualified events table name, which its index names start with. */
  private final String indexPrefix;

  public MySqlDialect(OutboxTables tables, String name) {
    super(tables);
    this.name = name;
    this.indexPrefix = events.substring(events.lastIndexOf('.') + 1);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String schemaResource() {
    return "dev/outbox/schema/mysql.sql";
  }

  @Override
  public void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    ps.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  @Override
  public @Nullable Instant getInstant(ResultSet rs, int column) throws SQLException {
    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  /** UTC, as the columns hold; {@code CURRENT_TIMESTAMP} would be in the session's time zone. */
  @Override
  protected String currentTime() {
    return "UTC_TIMESTAMP(6)";
  }

  @Override
  public boolean isDuplicateKey(SQLException e) {
    return e.getErrorCode() == ER_DUP_ENTRY;
  }

  /**
   * Under repeatable read, MySQL's default, a plain read would use the caller's snapshot and miss
   * the row that just caused a duplicate-key error; a locking read sees the latest committed one.
   */
  @Override
  public SqlStatement selectExistingEventIds(List<String> eventIds) {
    return SqlStatement.of(
        "SELECT event_id FROM "
            + events
            + " WHERE event_id IN ("
            + placeholders(eventIds.size())
            + ") LOCK IN SHARE MODE",
        eventIds);
  }

  /**
   * The due index is the only one a window can walk in order and stop at its limit, but with a list
   * of excluded aggregates MariaDB also estimates a range of the aggregate index per excluded id,
   * one index dive each: under load that planning took most of a second per window.
   */
  @Override
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
            + " FORCE INDEX ("
            + indexPrefix
            + "_due_idx) WHERE status IN ('pending', 'retry') AND next_attempt_at <= ?"
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

  @Override
  public SqlStatement selectDueWindowEnd(Instant now, int position) {
    return SqlStatement.of(
        "SELECT next_attempt_at, id FROM "
            + events
            + " FORCE INDEX ("
            + indexPrefix
            + "_due_idx) WHERE status IN ('pending', 'retry') AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at, id LIMIT 1 OFFSET ?",
        now,
        position - 1);
  }

  /**
   * The head test takes one index dive per unsent status: MariaDB finds {@code MIN(id)} over
   * several statuses by reading every entry of the aggregate in its index, sent ones included (its
   * index, unlike PostgreSQL's partial one, keeps them): 90,000 entries a claim once a thousand
   * aggregates had sent 300 events each, so claims grew slower the longer writers kept going. A
   * status with no row counts as no older row, except {@code e}'s own: the subqueries read the
   * statement's snapshot while the locking read of {@code e} sees the latest rows, so an {@code e}
   * committed after the snapshot was taken (and its aggregate's other new rows with it) must not
   * pass as a head. The aggregate index is forced because by primary key the dive would read every
   * unsent row, by the status index every row of a status.
   */
  @Override
  public SqlStatement claimHeads(HeadClaimQuery query) {
    Long lastIdAtBound = query.lastIdAtBound();
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(EVENT_COLUMNS)
            .append(" FROM ")
            .append(events)
            .append(" e WHERE e.status IN ('pending', 'retry') AND e.next_attempt_at <= ?");
    if (lastIdAtBound != null) {
      sql.append(" AND (e.next_attempt_at < ? OR e.id <= ?)");
    }
    if (!query.windowIds().isEmpty()) {
      sql.append(" AND e.id IN (").append(placeholders(query.windowIds().size())).append(')');
    }
    List<EventStatus> blocking =
        query.holdAfterDeadLetter()
            ? List.of(
                EventStatus.PENDING, EventStatus.RETRY, EventStatus.PROCESSING, EventStatus.FAILED)
            : List.of(EventStatus.PENDING, EventStatus.RETRY, EventStatus.PROCESSING);
    for (EventStatus status : blocking) {
      sql.append(" AND COALESCE((SELECT p.id FROM ")
          .append(events)
          .append(" p FORCE INDEX (")
          .append(indexPrefix)
          .append("_aggregate_idx) WHERE p.aggregate_id = e.aggregate_id")
          .append(" AND p.aggregate_type = e.aggregate_type AND p.status = '")
          .append(status.sql())
          .append("' ORDER BY p.id LIMIT 1), IF(e.status = '")
          .append(status.sql())
          .append("', 0, e.id)) >= e.id");
    }
    if (query.holdAfterDeadLetter()) {
      sql.append(" AND COALESCE((SELECT MIN(d.original_id) FROM ")
          .append(deadLetters)
          .append(" d WHERE d.aggregate_id = e.aggregate_id")
          .append(" AND d.aggregate_type = e.aggregate_type), e.id) >= e.id");
    }
    if (query.inDueOrder()) {
      sql.append(" ORDER BY e.next_attempt_at, e.id");
    }
    sql.append(" LIMIT ? FOR UPDATE SKIP LOCKED");
    return SqlStatement.of(
        sql.toString(),
        query.dueBound(),
        lastIdAtBound == null ? List.of() : List.of(query.dueBound(), lastIdAtBound),
        query.windowIds(),
        query.limit());
  }

  /**
   * The aggregate index holds status before id, so only a branch of one status walks it in id order
   * and stops at its limit: with every status in one branch MySQL reads all unsent rows of a hot
   * aggregate and sorts them. The other statuses are rare after a head (a run in flight, a
   * failure), so they share a branch; each branch costs MariaDB about 0.1 ms to plan.
   */
  @Override
  public SqlStatement selectFollowerCandidates(List<AggregateStart> starts, int perAggregate) {
    List<String> branches = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (AggregateStart start : starts) {
      for (String statuses :
          List.of("status = 'pending'", "status IN ('retry', 'processing', 'failed')")) {
        branches.add(
            "(SELECT id, aggregate_type, aggregate_id, status FROM "
                + events
                + " FORCE INDEX ("
                + indexPrefix
                + "_aggregate_idx) WHERE aggregate_id = ? AND aggregate_type = ? AND "
                + statuses
                + " AND id > ? ORDER BY id LIMIT "
                + perAggregate
                + ")");
        Collections.addAll(values, start.aggregateId(), start.aggregateType(), start.afterId());
      }
    }
    return SqlStatement.of(String.join(" UNION ALL ", branches), values);
  }

  /** MySQL refuses LIMIT inside an IN subquery but accepts it on DELETE itself. */
  @Override
  public SqlStatement deleteSentBefore(Instant cutoff, int limit) {
    return SqlStatement.of(
        "DELETE FROM " + events + " WHERE status = 'sent' AND sent_at < ? LIMIT ?", cutoff, limit);
  }

  @Override
  public SqlStatement deleteDeadLettersBefore(Instant cutoff, int limit) {
    return SqlStatement.of(
        "DELETE FROM " + deadLetters + " WHERE dead_lettered_at < ? LIMIT ?", cutoff, limit);
  }
}
