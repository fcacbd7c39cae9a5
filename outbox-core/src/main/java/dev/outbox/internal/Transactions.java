package dev.outbox.internal;

import dev.outbox.OutboxDatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Runs work in a read-committed transaction on a connection of the dispatcher's own. Read committed
 * everywhere: MySQL's default repeatable read would add gap locks that block writers, and each
 * claim must see rows committed since the previous one.
 */
public final class Transactions {

  /** Work done inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  public Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Runs the work and commits; on a failure rolls back and rethrows it, an {@link SQLException}
   * wrapped in an {@link dev.outbox.OutboxDatabaseException}.
   *
   * @param purpose what the work does, for the error message ("claim events", ...)
   */
  public <T> T inTransaction(String purpose, Work<T> work) {
    try (OpenTransaction transaction = begin(purpose)) {
      T result = transaction.run(work);
      transaction.commit();
      return result;
    }
  }

  /**
   * Begins a transaction the caller runs work in, possibly from another thread, and then commits;
   * closing it without a commit rolls it back.
   */
  public OpenTransaction begin(String purpose) {
    try {
      return new OpenTransaction(purpose, dataSource.getConnection());
    } catch (SQLException e) {
      throw new OutboxDatabaseException(purpose, e);
    }
  }

  /**
   * A transaction kept open across calls: a claim's row locks stay its lease while the batch is
   * published. Used by one thread at a time.
   */
  public static final class OpenTransaction implements AutoCloseable {

    private final String purpose;
    private final Connection connection;
    private final boolean autoCommit;
    private final int isolation;
    private boolean committed;
    private boolean closed;

    private OpenTransaction(String purpose, Connection connection) throws SQLException {
      this.purpose = purpose;
      this.connection = connection;
      try {
        this.autoCommit = connection.getAutoCommit();
        this.isolation = connection.getTransactionIsolation();
        connection.setAutoCommit(false);
        if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
          connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
      } catch (SQLException | RuntimeException e) {
        try {
          connection.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
    }

    /** Runs work in the transaction; a failure rolls it back and closes it. */
    public <T> T run(Work<T> work) {
      try {
        return work.run(connection);
      } catch (SQLException e) {
        OutboxDatabaseException failure = new OutboxDatabaseException(purpose, e);
        closeAfter(failure);
        throw failure;
      } catch (RuntimeException | Error e) {
        closeAfter(e);
        throw e;
      }
    }

    /** Commits and gives the connection back; a failed commit rolls back. */
    public void commit() {
      try {
        connection.commit();
        committed = true;
      } catch (SQLException e) {
        OutboxDatabaseException failure = new OutboxDatabaseException(purpose, e);
        closeAfter(failure);
        throw failure;
      }
      close();
    }

    /** Rolls back unless committed, and gives the connection back as it came. */
    @Override
    public void close() {
      SQLException failure = finish();
      if (failure != null) {
        throw new OutboxDatabaseException(purpose, failure);
      }
    }

    /** Closes, adding what goes wrong meanwhile to {@code cause}. */
    private void closeAfter(Throwable cause) {
      SQLException failure = finish();
      if (failure != null) {
        cause.addSuppressed(failure);
      }
    }

    private @Nullable SQLException finish() {
      if (closed) {
        return null;
      }
      closed = true;
      SQLException failure = null;
      try {
        if (!committed) {
          connection.rollback();
        }
        // Pooled connections go back as they came.
        if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
          connection.setTransactionIsolation(isolation);
        }
        connection.setAutoCommit(autoCommit);
      } catch (SQLException e) {
        failure = e;
      }
      try {
        connection.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
      return failure;
    }
  }
}
