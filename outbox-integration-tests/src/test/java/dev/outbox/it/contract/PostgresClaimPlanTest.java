package dev.outbox.it.contract;

import dev.outbox.test.contract.ClaimPlanContract;
import javax.sql.DataSource;

class PostgresClaimPlanTest extends ClaimPlanContract {

  private static final DataSource DATA_SOURCE = SharedServers.postgres(PostgresClaimPlanTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
