package dev.outbox.h2;

import dev.outbox.contract.WriterContract;
import javax.sql.DataSource;

class H2WriterTest extends WriterContract {

  private static final DataSource DATA_SOURCE = H2Database.create("writer");

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
