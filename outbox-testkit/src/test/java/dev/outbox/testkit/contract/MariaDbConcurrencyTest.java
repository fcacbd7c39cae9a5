package dev.outbox.testkit.contract;

import dev.outbox.contract.ConcurrencyContract;
import javax.sql.DataSource;

class MariaDbConcurrencyTest extends ConcurrencyContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbConcurrencyTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
