package dev.outbox.test.h2;

import dev.outbox.test.contract.ConcurrencyContract;
import javax.sql.DataSource;

class H2ConcurrencyTest extends ConcurrencyContract {

  private static final DataSource DATA_SOURCE = H2Database.create("concurrency");

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
