package dev.outbox;

import dev.outbox.internal.Dialects;
import dev.outbox.internal.SchemaInstaller;
import java.sql.Connection;
import java.util.List;

/**
 * The outbox's two tables and their indexes, per database. The same DDL ships as resources ({@code
 * dev/outbox/schema/postgresql.sql}, {@code mysql.sql}, {@code h2.sql}) for Flyway or Liquibase
 * users; this class creates the tables when they are missing, or gives the statements for other
 * table names.
 */
public final class OutboxSchema {

  private OutboxSchema() {}

  /**
   * Creates the tables and indexes that do not exist yet, detecting the database from the
   * connection. Runs with auto-commit (DDL commits on MySQL anyway) and restores the connection's
   * setting.
   */
  public static void create(Connection connection, OutboxTables tables) {
    create(connection, DatabaseType.detect(connection), tables);
  }

  /** Creates the tables and indexes that do not exist yet on a database of the given type. */
  public static void create(Connection connection, DatabaseType type, OutboxTables tables) {
    SchemaInstaller.install(connection, Dialects.forType(type, tables), tables);
  }

  /** The statements {@link #create} runs, each without its closing semicolon. */
  public static List<String> statements(DatabaseType type, OutboxTables tables) {
    return SchemaInstaller.statements(Dialects.forType(type, tables), tables);
  }
}
