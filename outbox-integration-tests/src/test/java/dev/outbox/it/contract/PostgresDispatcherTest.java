package dev.outbox.it.contract;

import dev.outbox.test.contract.DispatcherContract;
import javax.sql.DataSource;

class PostgresDispatcherTest extends DispatcherContract {

  private static final DataSource DATA_SOURCE =
      SharedServers.postgres(PostgresDispatcherTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
