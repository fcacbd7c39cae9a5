package dev.outbox.test.h2;

import dev.outbox.test.contract.WriterContract;
import javax.sql.DataSource;

class H2WriterTest extends WriterContract {

  private static final DataSource DATA_SOURCE = H2Database.create("writer");

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
