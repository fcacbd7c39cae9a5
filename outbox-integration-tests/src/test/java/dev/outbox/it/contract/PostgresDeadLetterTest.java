package dev.outbox.it.contract;

import dev.outbox.test.contract.DeadLetterContract;
import javax.sql.DataSource;

class PostgresDeadLetterTest extends DeadLetterContract {

  private static final DataSource DATA_SOURCE =
      SharedServers.postgres(PostgresDeadLetterTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
