package dev.outbox.it.contract;

import dev.outbox.test.contract.ConcurrencyContract;
import javax.sql.DataSource;

class MariaDbConcurrencyTest extends ConcurrencyContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbConcurrencyTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
