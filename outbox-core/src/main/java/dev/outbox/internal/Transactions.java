package dev.outbox.internal;

import dev.outbox.OutboxDatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in a short read-committed transaction on a connection of the dispatcher's own. Read
 * committed everywhere: MySQL's default repeatable read would add gap locks that block writers, and
 * each claim must see rows committed since the previous one.
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
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      int isolation = connection.getTransactionIsolation();
      connection.setAutoCommit(false);
      if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        // Pooled connections go back as they came.
        if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
          connection.setTransactionIsolation(isolation);
        }
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException(purpose, e);
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
