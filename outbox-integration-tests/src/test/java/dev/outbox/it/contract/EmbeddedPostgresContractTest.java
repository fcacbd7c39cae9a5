package dev.outbox.it.contract;

import dev.outbox.test.contract.ClaimPlanContract;
import dev.outbox.test.contract.ContractSuite;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;

/** The whole contract suite on embedded PostgreSQL, as on H2 and on the external databases. */
class EmbeddedPostgresContractTest extends ContractSuite {

  private static final DataSource DATA_SOURCE =
      SharedServers.postgres(EmbeddedPostgresContractTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }

  @Nested
  class ClaimPlan extends ClaimPlanContract {
    @Override
    protected DataSource dataSource() {
      return DATA_SOURCE;
    }
  }
}
