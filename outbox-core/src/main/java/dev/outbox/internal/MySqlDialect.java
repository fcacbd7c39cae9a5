package dev.outbox.internal;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxTables;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * MySQL 8+ and MariaDB 10.6+. Timestamps are {@code DATETIME(6)} holding UTC, bound as UTC local
 * date-times so neither the JVM's nor the session's time zone can shift them.
 */
final class MySqlDialect extends Dialect {

  private static final int ER_DUP_ENTRY = 1062;

  private final DatabaseType type;

  MySqlDialect(OutboxTables tables, DatabaseType type) {
    super(tables);
    this.type = type;
  }

  @Override
  public DatabaseType type() {
    return type;
  }

  @Override
  public String schemaResource() {
    return "dev/outbox/schema/mysql.sql";
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
  public String selectExistingEventIds(int count) {
    return super.selectExistingEventIds(count) + " LOCK IN SHARE MODE";
  }

  /**
   * Follower walks and head tests read one aggregate's rows: by primary key they would read every
   * unsent row, by the status index every row of a status; the aggregate index reads few.
   */
  @Override
  protected String aggregateIndexHint() {
    return " FORCE INDEX (" + tableName() + "_aggregate_idx)";
  }

  /**
   * The due index is the only one a window can walk in order and stop at its limit, but with a list
   * of excluded aggregates MariaDB also estimates a range of the aggregate index per excluded id,
   * one index dive each: under load that planning took most of a second per window.
   */
  @Override
  protected String dueIndexHint() {
    return " FORCE INDEX (" + tableName() + "_due_idx)";
  }

  private String tableName() {
    return events.substring(events.lastIndexOf('.') + 1);
  }

  /**
   * One index dive per status: MariaDB finds {@code MIN(id)} over several statuses by reading every
   * entry of the aggregate in its index, sent ones included (its index, unlike PostgreSQL's partial
   * one, keeps them): 90,000 entries a claim once a thousand aggregates had sent 300 events each,
   * so claims grew slower the longer writers kept going. A status with no row counts as no older
   * row, except {@code e}'s own: the subqueries read the statement's snapshot while the locking
   * read of {@code e} sees the latest rows, so an {@code e} committed after the snapshot was taken
   * (and its aggregate's other new rows with it) must not pass as a head.
   */
  @Override
  protected String oldestUnsentIsThisOne(List<String> statuses) {
    StringBuilder test = new StringBuilder();
    for (String status : statuses) {
      test.append(" AND COALESCE((SELECT p.id FROM ")
          .append(events)
          .append(" p")
          .append(aggregateIndexHint())
          .append(" WHERE p.aggregate_id = e.aggregate_id AND p.aggregate_type = e.aggregate_type")
          .append(" AND p.status = '")
          .append(status)
          .append("' ORDER BY p.id LIMIT 1), IF(e.status = '")
          .append(status)
          .append("', 0, e.id)) >= e.id");
    }
    return test.toString();
  }

  /**
   * The aggregate index holds status before id, so only a branch of one status walks it in id order
   * and stops at its limit: with every status in one branch MySQL reads all unsent rows of a hot
   * aggregate and sorts them. The other statuses are rare after a head (a run in flight, a
   * failure), so they share a branch; each branch costs MariaDB about 0.1 ms to plan.
   */
  @Override
  protected List<String> followerStatusGroups() {
    return List.of("status = 'pending'", "status IN ('retry', 'processing', 'failed')");
  }

  /** MySQL refuses LIMIT inside an IN subquery but accepts it on DELETE itself. */
  @Override
  public String deleteSentBefore() {
    return "DELETE FROM " + events + " WHERE status = 'sent' AND sent_at < ? LIMIT ?";
  }

  @Override
  public String deleteDeadLettersBefore() {
    return "DELETE FROM " + deadLetters + " WHERE dead_lettered_at < ? LIMIT ?";
  }

  @Override
  public void setInstant(PreparedStatement ps, int index, @Nullable Instant instant)
      throws SQLException {
    ps.setObject(index, instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  @Override
  public @Nullable Instant getInstant(ResultSet rs, int column) throws SQLException {
    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }
}
