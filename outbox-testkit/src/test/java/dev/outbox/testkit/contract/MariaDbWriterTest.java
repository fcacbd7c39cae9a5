package dev.outbox.testkit.contract;

import dev.outbox.contract.WriterContract;
import javax.sql.DataSource;

class MariaDbWriterTest extends WriterContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbWriterTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
