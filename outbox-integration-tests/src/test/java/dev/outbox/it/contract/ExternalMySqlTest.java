package dev.outbox.it.contract;

import dev.outbox.test.contract.ClaimPlanContract;
import dev.outbox.test.contract.ContractSuite;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract suite on the database named by {@code OUTBOX_TEST_MYSQL_URL}. Runs only in the
 * {@code external-databases} Maven profile.
 */
@EnabledIfEnvironmentVariable(named = "OUTBOX_TEST_MYSQL_URL", matches = ".+")
class ExternalMySqlTest extends ContractSuite {

  private static final DataSource DATA_SOURCE = ExternalDatabases.fromEnvironment("MYSQL");

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
