package dev.outbox.test.contract;

import dev.outbox.spi.DialectProvider;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;

/**
 * The contract suite on one database, in one class: subclass it and give it the {@link DataSource}
 * (and the dialect, when detection would not find it). Every part starts its tests from freshly
 * created tables, so one database serves them all. {@link ClaimPlanContract}, which fills the table
 * with SQL of the built-in databases, is left for a subclass to add as a {@code @Nested} class of
 * its own.
 */
public abstract class ContractSuite {

  /** The database under test. */
  protected abstract DataSource dataSource();

  /** The dialect under test; {@code null} (the default) to detect it as a dispatcher would. */
  protected @Nullable DialectProvider dialectProvider() {
    return null;
  }

  @Nested
  class Writer extends WriterContract {
    @Override
    protected DataSource dataSource() {
      return ContractSuite.this.dataSource();
    }

    @Override
    protected @Nullable DialectProvider dialectProvider() {
      return ContractSuite.this.dialectProvider();
    }
  }

  @Nested
  class Dispatcher extends DispatcherContract {
    @Override
    protected DataSource dataSource() {
      return ContractSuite.this.dataSource();
    }

    @Override
    protected @Nullable DialectProvider dialectProvider() {
      return ContractSuite.this.dialectProvider();
    }
  }

  @Nested
  class Concurrency extends ConcurrencyContract {
    @Override
    protected DataSource dataSource() {
      return ContractSuite.this.dataSource();
    }

    @Override
    protected @Nullable DialectProvider dialectProvider() {
      return ContractSuite.this.dialectProvider();
    }
  }

  @Nested
  class DeadLetters extends DeadLetterContract {
    @Override
    protected DataSource dataSource() {
      return ContractSuite.this.dataSource();
    }

    @Override
    protected @Nullable DialectProvider dialectProvider() {
      return ContractSuite.this.dialectProvider();
    }
  }
}
