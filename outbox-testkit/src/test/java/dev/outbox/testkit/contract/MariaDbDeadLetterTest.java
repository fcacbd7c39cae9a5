package dev.outbox.testkit.contract;

import dev.outbox.contract.DeadLetterContract;
import javax.sql.DataSource;

class MariaDbDeadLetterTest extends DeadLetterContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbDeadLetterTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
