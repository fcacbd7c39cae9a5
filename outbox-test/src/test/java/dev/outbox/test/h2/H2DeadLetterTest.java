package dev.outbox.test.h2;

import dev.outbox.test.contract.DeadLetterContract;
import javax.sql.DataSource;

class H2DeadLetterTest extends DeadLetterContract {

  private static final DataSource DATA_SOURCE = H2Database.create("deadletter");

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
