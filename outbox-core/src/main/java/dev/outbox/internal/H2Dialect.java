package dev.outbox.internal;

import dev.outbox.OutboxTables;
import dev.outbox.spi.Dialect;

/** H2 2.x, for tests and embedded use: the ANSI base as it is. */
public final class H2Dialect extends Dialect {

  public H2Dialect(OutboxTables tables) {
    super(tables);
  }

  @Override
  public String name() {
    return "H2";
  }

  @Override
  public String schemaResource() {
    return "dev/outbox/schema/h2.sql";
  }
}
