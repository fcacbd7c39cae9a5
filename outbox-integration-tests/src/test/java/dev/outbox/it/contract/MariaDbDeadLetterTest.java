package dev.outbox.it.contract;

import dev.outbox.test.contract.DeadLetterContract;
import javax.sql.DataSource;

class MariaDbDeadLetterTest extends DeadLetterContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbDeadLetterTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
