package dev.outbox.testkit.contract;

import dev.outbox.contract.ClaimPlanContract;
import javax.sql.DataSource;

class MariaDbClaimPlanTest extends ClaimPlanContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbClaimPlanTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
