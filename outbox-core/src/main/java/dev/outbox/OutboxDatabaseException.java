package dev.outbox;

import java.sql.SQLException;

/** A database operation of the outbox failed; the message says which one. */
public final class OutboxDatabaseException extends OutboxException {

  private static final long serialVersionUID = 1L;

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
