package dev.outbox.test.h2;

import dev.outbox.test.contract.DispatcherContract;
import javax.sql.DataSource;

class H2DispatcherTest extends DispatcherContract {

  private static final DataSource DATA_SOURCE = H2Database.create("dispatcher");

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
