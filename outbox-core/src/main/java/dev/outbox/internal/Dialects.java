package dev.outbox.internal;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxDatabaseException;
import dev.outbox.OutboxException;
import dev.outbox.OutboxTables;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the {@link Dialect} for a database type, or detects the type from a connection. */
public final class Dialects {

  private static final Logger LOG = LoggerFactory.getLogger(Dialects.class);

  private Dialects() {}

  public static Dialect forType(DatabaseType type, OutboxTables tables) {
    return switch (type) {
      case POSTGRESQL -> new PostgresDialect(tables);
      case MYSQL, MARIADB -> new MySqlDialect(tables, type);
      case H2 -> new H2Dialect(tables);
    };
  }

  public static DatabaseType detect(Connection connection) {
    String product;
    String version;
    try {
      DatabaseMetaData meta = connection.getMetaData();
      product = meta.getDatabaseProductName();
      version = meta.getDatabaseProductVersion();
    } catch (SQLException e) {
      throw new OutboxDatabaseException("read the database product name to pick a dialect", e);
    }
    String name = product.toLowerCase(Locale.ROOT);
    String versionName = version.toLowerCase(Locale.ROOT);
    DatabaseType type;
    if (name.contains("postgres")) {
      type = DatabaseType.POSTGRESQL;
    } else if (name.contains("mariadb") || versionName.contains("mariadb")) {
      type = DatabaseType.MARIADB;
    } else if (name.contains("mysql")) {
      type = DatabaseType.MYSQL;
    } else if (name.equals("h2")) {
      type = DatabaseType.H2;
    } else {
      throw new OutboxException(
          "Unsupported database '"
              + product
              + " "
              + version
              + "'; supported are PostgreSQL, MySQL, MariaDB and H2. If it is compatible with one"
              + " of them, choose that dialect explicitly.");
    }
    LOG.info("Outbox detected {} from '{} {}'", type, product, version);
    return type;
  }
}
