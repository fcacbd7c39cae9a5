package dev.outbox.internal;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxTables;

/** PostgreSQL 12+: skips duplicates in the insert itself, which keeps the caller's tx usable. */
final class PostgresDialect extends Dialect {

  PostgresDialect(OutboxTables tables) {
    super(tables);
  }

  @Override
  public DatabaseType type() {
    return DatabaseType.POSTGRESQL;
  }

  @Override
  public String schemaResource() {
    return "dev/outbox/schema/postgresql.sql";
  }

  /**
   * A failed statement aborts the whole transaction on PostgreSQL, so a duplicate id must not raise
   * an error: the insert skips it and reports which ids it did write.
   */
  @Override
  public String insertEvents(int rows) {
    return super.insertEvents(rows) + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id";
  }

  @Override
  public boolean insertSkipsDuplicates() {
    return true;
  }

  /**
   * Statistics taken while the table held few unsent rows (it usually does) make the planner expect
   * a handful of due rows; it then fetches every due row by bitmap and sorts them, running the head
   * test on each, instead of walking the due index in order and stopping at the limit: 170 ms
   * instead of a few for a claim over 50,000 waiting rows, growing with the backlog, that is,
   * exactly while draining one after an outage. Turned off for this transaction only. So is JIT
   * compilation: the head claim's cost estimate (a subquery per row of a large index) is above the
   * JIT threshold, and compiling took 25 ms (400 ms with inlining) of a claim that runs in 8.
   */
  @Override
  public String prepareClaim() {
    return "SELECT set_config('enable_bitmapscan', 'off', true),"
        + " set_config('enable_sort', 'off', true), set_config('jit', 'off', true)";
  }

  @Override
  public boolean leasesHeadsWhileClaiming() {
    return true;
  }

  /** One round trip and one pass over the rows: lock the heads and lease them in place. */
  @Override
  public String claimAndLeaseHeads(boolean holdAfterDeadLetter, int windowIds, boolean inDueOrder) {
    String returning = EVENT_COLUMNS.replaceAll("(^|, )", "$1u.");
    return "WITH heads AS (SELECT e.id FROM "
        + events
        + " e WHERE "
        + dueHeads(holdAfterDeadLetter, windowIds)
        + headOrder(inDueOrder)
        + " LIMIT ? FOR UPDATE SKIP LOCKED)"
        + " UPDATE "
        + events
        + " u SET status = 'processing', locked_by = ?, locked_until = ?, next_attempt_at = NULL"
        + " FROM heads WHERE u.id = heads.id RETURNING "
        + returning;
  }

  /**
   * The heads as a VALUES list joined laterally to one bounded index walk: planning a UNION ALL of
   * a branch per aggregate took 20–35 ms for a hundred aggregates, longer than running it.
   */
  @Override
  public String selectFollowerCandidates(int aggregates, int perAggregate) {
    String typed = "(CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT))";
    String rest = ", (?, ?, ?)".repeat(aggregates - 1);
    return "SELECT f.id, f.aggregate_type, f.aggregate_id, f.status FROM (VALUES "
        + typed
        + rest
        + ") AS h (aggregate_id, aggregate_type, head_id) CROSS JOIN LATERAL (SELECT p.id,"
        + " p.aggregate_type, p.aggregate_id, p.status FROM "
        + events
        + " p WHERE p.aggregate_id = h.aggregate_id AND p.aggregate_type = h.aggregate_type"
        + " AND p.status IN ('pending', 'retry', 'processing', 'failed') AND p.id > h.head_id"
        + " ORDER BY p.id LIMIT "
        + perAggregate
        + ") f";
  }
}
