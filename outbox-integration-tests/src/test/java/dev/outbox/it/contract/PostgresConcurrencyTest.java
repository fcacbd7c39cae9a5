package dev.outbox.it.contract;

import dev.outbox.test.contract.ConcurrencyContract;
import javax.sql.DataSource;

class PostgresConcurrencyTest extends ConcurrencyContract {

  private static final DataSource DATA_SOURCE =
      SharedServers.postgres(PostgresConcurrencyTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
