package dev.outbox.it.contract;

import dev.outbox.test.contract.WriterContract;
import javax.sql.DataSource;

class PostgresWriterTest extends WriterContract {

  private static final DataSource DATA_SOURCE = SharedServers.postgres(PostgresWriterTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
