package dev.outbox.test.h2;

import dev.outbox.test.contract.ClaimPlanContract;
import dev.outbox.test.contract.ConcurrencyContract;
import dev.outbox.test.contract.DeadLetterContract;
import dev.outbox.test.contract.DispatcherContract;
import dev.outbox.test.contract.WriterContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;

/**
 * The contract suite on H2: all a database needs to prove its dialect, and the worked example of
 * docs/adding-a-database.md. The dialect is detected, as a dispatcher would; a dialect that is not
 * registered for detection would be named by overriding {@code dialectProvider()}.
 */
class H2ContractTest {

  /** One database for every part: each test starts from freshly created tables. */
  private static final DataSource DATABASE = H2Database.create("contract");

  @Nested
  class Writer extends WriterContract {
    @Override
    protected DataSource dataSource() {
      return DATABASE;
    }
  }

  @Nested
  class Dispatcher extends DispatcherContract {
    @Override
    protected DataSource dataSource() {
      return DATABASE;
    }
  }

  @Nested
  class Concurrency extends ConcurrencyContract {
    @Override
    protected DataSource dataSource() {
      return DATABASE;
    }
  }

  @Nested
  class DeadLetters extends DeadLetterContract {
    @Override
    protected DataSource dataSource() {
      return DATABASE;
    }
  }

  @Nested
  class ClaimPlan extends ClaimPlanContract {
    @Override
    protected DataSource dataSource() {
      return DATABASE;
    }
  }
}
