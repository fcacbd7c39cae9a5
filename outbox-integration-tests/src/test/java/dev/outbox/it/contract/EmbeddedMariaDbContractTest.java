package dev.outbox.it.contract;

import dev.outbox.test.contract.ContractSuite;
import javax.sql.DataSource;

/**
 * The whole contract suite on embedded MariaDB, as on H2 and on the external databases; the claim
 * plan's contract runs in {@link MariaDbClaimPlanTest}, beside MariaDB's own plan checks.
 */
class EmbeddedMariaDbContractTest extends ContractSuite {

  private static final DataSource DATA_SOURCE =
      SharedServers.mariaDb(EmbeddedMariaDbContractTest.class);

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }
}
