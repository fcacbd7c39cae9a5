package dev.outbox;

import org.jspecify.annotations.Nullable;

/**
 * A dispatcher started on a database without its tables (or without the right to read them), or on
 * tables made by an earlier version that lack a column this one needs, and was not told to create
 * them. Found at start, so that an application does not report itself healthy and then fail every
 * save.
 */
public final class MissingTablesException extends OutboxException {

  private static final long serialVersionUID = 1L;

  private final OutboxTables tables;

  private final @Nullable String missingColumn;

  /**
   * The tables cannot be read; the message says how to create them.
   *
   * @param tables the tables looked for
   * @param cause the database's error on reading them
   */
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
    this.missingColumn = null;
  }

  /**
   * The events table is there but lacks {@code column}, added by a later migration.
   *
   * @param tables the tables looked for
   * @param column the missing column
   * @param cause the database's error on reading it
   */
  public MissingTablesException(OutboxTables tables, String column, Throwable cause) {
    super(
        "The outbox table "
            + tables.events()
            + " has no column "
            + column
            + " ("
            + cause.getMessage()
            + "), which this version of the outbox needs: add it at start with"
            + " createSchema(true), which adds what existing tables lack, with the Flyway or"
            + " Liquibase migrations that come with outbox-core (V2, changeset outbox-2-…), or with"
            + " `outbox schema apply`",
        cause);
    this.tables = tables;
    this.missingColumn = column;
  }

  /** {@return the tables that were looked for} */
  public OutboxTables tables() {
    return tables;
  }

  /**
   * {@return the column missing from the events table, or {@code null} when a table could not be
   * read}
   */
  public @Nullable String missingColumn() {
    return missingColumn;
  }
}
