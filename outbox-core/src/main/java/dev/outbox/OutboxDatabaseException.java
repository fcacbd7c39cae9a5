package dev.outbox;

import java.sql.SQLException;

/** A database operation of the outbox failed; the message says which one. */
public final class OutboxDatabaseException extends OutboxException {

  private static final long serialVersionUID = 1L;

  /**
   * The message reads "Could not {@code purpose}: " followed by the driver's message and SQLState.
   *
   * @param purpose what the statement was for, such as {@code "claim events"}
   * @param cause the driver's error
   */
  public OutboxDatabaseException(String purpose, SQLException cause) {
    super(
        "Could not "
            + purpose
            + ": "
            + cause.getMessage()
            + " (SQLState "
            + cause.getSQLState()
            + ")",
        cause);
  }
}
