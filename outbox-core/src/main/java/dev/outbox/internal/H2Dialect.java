package dev.outbox.internal;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxTables;

/** H2 2.x, for tests and embedded use: the ANSI base as it is. */
final class H2Dialect extends Dialect {

  H2Dialect(OutboxTables tables) {
    super(tables);
  }

  @Override
  public DatabaseType type() {
    return DatabaseType.H2;
  }

  @Override
  public String schemaResource() {
    return "dev/outbox/schema/h2.sql";
  }
}
