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
}
