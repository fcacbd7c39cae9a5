package dev.outbox.test.h2;

import dev.outbox.test.contract.ClaimPlanContract;
import dev.outbox.test.contract.ContractSuite;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;

/**
 * The contract suite on H2: all a database needs to prove its dialect, and the worked example of
 * docs/adding-a-database.md. The dialect is detected, as a dispatcher would.
 */
class H2ContractTest extends ContractSuite {

  private static final DataSource DATABASE = H2Database.create("contract");

  @Override
  protected DataSource dataSource() {
    return DATABASE;
  }

  @Nested
  class ClaimPlan extends ClaimPlanContract {
    @Override
    protected DataSource dataSource() {
      return DATABASE;
    }
  }
}
