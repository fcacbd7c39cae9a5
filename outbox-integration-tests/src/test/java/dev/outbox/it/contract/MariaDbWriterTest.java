package dev.outbox.it.contract;

import dev.outbox.test.contract.WriterContract;
import javax.sql.DataSource;

class MariaDbWriterTest extends WriterContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbWriterTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
