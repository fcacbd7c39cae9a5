package dev.outbox;

import dev.outbox.internal.Dialects;
import dev.outbox.internal.SchemaInstaller;
import dev.outbox.spi.DialectProvider;
import java.sql.Connection;
import java.util.List;

/**
 * The outbox's two tables and their indexes, per database, from the resources {@code
 * dev/outbox/schema/postgresql.sql}, {@code mysql.sql} and {@code h2.sql}: this class creates the
 * tables when they are missing, adds the columns that tables of an earlier version lack, or gives
 * the statements for other table names. For the default names the same statements ship as Flyway
 * migrations ({@code dev/outbox/db/flyway/{vendor}/V1__outbox_tables.sql} and {@code
 * V2__outbox_replayed_at.sql}, to run with a history table of their own) and as a Liquibase
 * changelog ({@code dev/outbox/db/changelog/outbox-changelog.yaml}).
 */
public final class OutboxSchema {

  private OutboxSchema() {}

  /**
   * Creates the tables, indexes and columns that do not exist yet, detecting the database from the
   * connection. Runs with auto-commit (DDL commits on MySQL anyway) and restores the connection's
   * setting.
   *
   * @param connection a connection to the database; left open
   * @param tables the names of the tables to create
   * @throws OutboxException if the database is not supported
   * @throws OutboxDatabaseException if a statement fails
   */
  public static void create(Connection connection, OutboxTables tables) {
    SchemaInstaller.install(connection, Dialects.dialect(null, connection, tables), tables);
  }

  /**
   * Creates the tables, indexes and columns that do not exist yet on a database of this dialect.
   *
   * @param connection a connection to the database; left open
   * @param dialect the database's dialect
   * @param tables the names of the tables to create
   * @throws OutboxDatabaseException if a statement fails
   */
  public static void create(Connection connection, DialectProvider dialect, OutboxTables tables) {
    SchemaInstaller.install(connection, dialect.create(tables), tables);
  }

  /**
   * The statements {@link #create} runs, each without its closing semicolon.
   *
   * @param dialect the database's dialect
   * @param tables the names of the tables
   * @return the statements in order, for a migration tool or a DBA to run
   */
  public static List<String> statements(DialectProvider dialect, OutboxTables tables) {
    return SchemaInstaller.statements(dialect.create(tables), tables);
  }
}
