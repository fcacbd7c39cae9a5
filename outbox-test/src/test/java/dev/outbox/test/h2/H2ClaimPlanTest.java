package dev.outbox.test.h2;

import dev.outbox.test.contract.ClaimPlanContract;
import javax.sql.DataSource;

class H2ClaimPlanTest extends ClaimPlanContract {

  private static final DataSource DATA_SOURCE = H2Database.create("plan");

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
