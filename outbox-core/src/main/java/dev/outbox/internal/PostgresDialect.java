package dev.outbox.internal;

import dev.outbox.OutboxEvent;
import dev.outbox.OutboxTables;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.SqlStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** PostgreSQL 12 or newer. */
public final class PostgresDialect extends Dialect {

  public PostgresDialect(OutboxTables tables) {
    super(tables);
  }

  @Override
  public String name() {
    return "PostgreSQL";
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
  public SqlStatement insertEvents(List<OutboxEvent> batch, @Nullable Instant now) {
    SqlStatement insert = super.insertEvents(batch, now);
    return SqlStatement.of(
        insert.sql() + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
        insert.parameters());
  }

  /** The start of the current statement: {@code now()} would be the transaction's start. */
  @Override
  protected String currentTime() {
    return "statement_timestamp()";
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
  public List<SqlStatement> claimPreparation() {
    return List.of(
        SqlStatement.of(
            "SELECT set_config('enable_bitmapscan', 'off', true),"
                + " set_config('enable_sort', 'off', true), set_config('jit', 'off', true)"));
  }

  /**
   * A row lock costs PostgreSQL no new row version and no index entries, while a lease written to
   * the row costs both, and another for the outcome: leasing by the claim's transaction writes each
   * event once.
   */
  @Override
  public boolean leasesByTransaction() {
    return true;
  }

  /**
   * The server ends a session idle in a transaction for longer, so a dispatcher frozen with its
   * claim open (SIGSTOP, a stalled machine) gives its events back then.
   */
  @Override
  public List<SqlStatement> limitLockHolding(Duration idle) {
    return List.of(
        SqlStatement.of(
            "SELECT set_config('idle_in_transaction_session_timeout', ?, true)",
            // The setting's largest value, about 24 days.
            Long.toString(Math.max(1, Math.min(Integer.MAX_VALUE, idle.toMillis())))));
  }

  /**
   * The starts as a VALUES list joined laterally to one bounded index walk: planning a UNION ALL of
   * a branch per aggregate took 20–35 ms for a hundred aggregates, longer than running it.
   */
  @Override
  public SqlStatement selectFollowerCandidates(List<AggregateStart> starts, int perAggregate) {
    List<Object> values = new ArrayList<>();
    for (AggregateStart start : starts) {
      Collections.addAll(values, start.aggregateId(), start.aggregateType(), start.afterId());
    }
    return SqlStatement.of(
        "SELECT f.id, f.aggregate_type, f.aggregate_id, f.status FROM (VALUES"
            + " (CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BIGINT))"
            + ", (?, ?, ?)".repeat(starts.size() - 1)
            + ") AS h (aggregate_id, aggregate_type, head_id) CROSS JOIN LATERAL (SELECT p.id,"
            + " p.aggregate_type, p.aggregate_id, p.status FROM "
            + events
            + " p WHERE p.aggregate_id = h.aggregate_id AND p.aggregate_type = h.aggregate_type"
            + " AND p.status IN ('pending', 'retry', 'processing', 'failed') AND p.id > h.head_id"
            + " ORDER BY p.id LIMIT "
            + perAggregate
            + ") f",
        values);
  }
}
