package dev.outbox.internal;

import dev.outbox.OutboxDatabaseException;
import dev.outbox.OutboxException;
import dev.outbox.OutboxTables;
import dev.outbox.spi.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Creates the outbox tables from the dialect's {@code .sql} resource. The resource is written for
 * the default table names, so the same file serves Flyway users as-is; other (validated) names are
 * substituted here.
 */
public final class SchemaInstaller {

  private SchemaInstaller() {}

  public static void install(Connection connection, Dialect dialect, OutboxTables tables) {
    List<String> statements = statements(dialect, tables);
    try {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          statement.execute(sql);
        }
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException("create the outbox tables " + tables, e);
    }
  }

  public static List<String> statements(Dialect dialect, OutboxTables tables) {
    String ddl = read(dialect);
    ddl = rename(ddl, OutboxTables.DEFAULT_EVENTS_TABLE, tables.events());
    ddl = rename(ddl, OutboxTables.DEFAULT_DEAD_LETTERS_TABLE, tables.deadLetters());
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : ddl.lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        statements.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    return List.copyOf(statements);
  }

  /**
   * Index and constraint names start with the table name; they take the unqualified new name, since
   * they live in the table's schema anyway.
   */
  private static String rename(String ddl, String defaultName, String name) {
    String unqualified = name.substring(name.lastIndexOf('.') + 1);
    return ddl.replaceAll(defaultName + "(?=_)", Matcher.quoteReplacement(unqualified))
        .replaceAll("\\b" + defaultName + "\\b", Matcher.quoteReplacement(name));
  }

  private static String read(Dialect dialect) {
    String resource = dialect.schemaResource();
    // Through the dialect's class, not a class loader: on the module path a module's resources are
    // encapsulated from other modules' readers.
    try (InputStream in = dialect.getClass().getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new OutboxException(
            "Schema resource " + resource + " of the " + dialect.name() + " dialect is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OutboxException("Could not read schema resource " + resource, e);
    }
  }
}
