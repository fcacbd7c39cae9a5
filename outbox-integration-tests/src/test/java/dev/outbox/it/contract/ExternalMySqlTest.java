package dev.outbox.it.contract;

import dev.outbox.test.contract.ClaimPlanContract;
import dev.outbox.test.contract.ConcurrencyContract;
import dev.outbox.test.contract.DeadLetterContract;
import dev.outbox.test.contract.DispatcherContract;
import dev.outbox.test.contract.WriterContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract suite on the database named by {@code OUTBOX_TEST_MYSQL_URL}. Runs only in the
 * {@code external-databases} Maven profile.
 */
@EnabledIfEnvironmentVariable(named = "OUTBOX_TEST_MYSQL_URL", matches = ".+")
class ExternalMySqlTest {

  private static final DataSource DATA_SOURCE = ExternalDatabases.fromEnvironment("MYSQL");

  @Nested
  class Writer extends WriterContract {
    @Override
    protected DataSource dataSource() {
      return DATA_SOURCE;
    }
  }

  @Nested
  class Dispatching extends DispatcherContract {
    @Override
    protected DataSource dataSource() {
      return DATA_SOURCE;
    }
  }

  @Nested
  class DeadLetters extends DeadLetterContract {
    @Override
    protected DataSource dataSource() {
      return DATA_SOURCE;
    }
  }

  @Nested
  class Concurrency extends ConcurrencyContract {
    @Override
    protected DataSource dataSource() {
      return DATA_SOURCE;
    }
  }

  @Nested
  class ClaimPlan extends ClaimPlanContract {
    @Override
    protected DataSource dataSource() {
      return DATA_SOURCE;
    }
  }
}
