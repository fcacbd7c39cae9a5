package dev.outbox;

/**
 * A dispatcher started on a database without its tables (or without the right to read them), and
 * was not told to create them. Found at start, so that an application does not report itself
 * healthy and then fail every save.
 */
public final class MissingTablesException extends OutboxException {

  private static final long serialVersionUID = 1L;

  private final OutboxTables tables;

  public MissingTablesException(OutboxTables tables, Throwable cause) {
    super(
        "The outbox tables "
            + tables
            + " cannot be read ("
            + cause.getMessage()
            + "): create them at start with createSchema(true), with the Flyway or Liquibase"
            + " migrations that come with outbox-core, or with `outbox schema apply`",
        cause);
    this.tables = tables;
  }

  /** The tables that were looked for. */
  public OutboxTables tables() {
    return tables;
  }
}
