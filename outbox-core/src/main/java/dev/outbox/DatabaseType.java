package dev.outbox;

import dev.outbox.internal.Dialects;
import dev.outbox.internal.H2Dialect;
import dev.outbox.internal.MySqlDialect;
import dev.outbox.internal.PostgresDialect;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.DialectProvider;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The databases the outbox supports out of the box, each the {@link DialectProvider} of its
 * dialect. Normally detected from the connection; set one on a builder when detection cannot tell
 * (for example a MySQL-compatible server that reports another name).
 */
public enum DatabaseType implements DialectProvider {
  /** PostgreSQL 12 or newer. */
  POSTGRESQL {
    @Override
    public boolean supports(DatabaseMetaData metaData) throws SQLException {
      return lower(metaData.getDatabaseProductName()).contains("postgres");
    }

    @Override
    public Dialect create(OutboxTables tables) {
      return new PostgresDialect(tables);
    }
  },
  /** MySQL 8 or newer. */
  MYSQL {
    @Override
    public boolean supports(DatabaseMetaData metaData) throws SQLException {
      return lower(metaData.getDatabaseProductName()).contains("mysql")
          && !MARIADB.supports(metaData);
    }

    @Override
    public Dialect create(OutboxTables tables) {
      return new MySqlDialect(tables, "MySQL");
    }
  },
  /** MariaDB 10.6 or newer. */
  MARIADB {
    @Override
    public boolean supports(DatabaseMetaData metaData) throws SQLException {
      // MariaDB's server reports "MySQL" through MySQL's driver, with "MariaDB" in its version.
      return lower(metaData.getDatabaseProductName()).contains("mariadb")
          || lower(metaData.getDatabaseProductVersion()).contains("mariadb");
    }

    @Override
    public Dialect create(OutboxTables tables) {
      return new MySqlDialect(tables, "MariaDB");
    }
  },
  /** H2 2.x, for tests and embedded use. */
  H2 {
    @Override
    public boolean supports(DatabaseMetaData metaData) throws SQLException {
      return lower(metaData.getDatabaseProductName()).equals("h2");
    }

    @Override
    public Dialect create(OutboxTables tables) {
      return new H2Dialect(tables);
    }
  };

  /**
   * The type of the database behind the connection, from its metadata.
   *
   * @throws OutboxException when the database is none of these
   * @param connection a connection to the database; left open
   * @return the type
   */
  public static DatabaseType detect(Connection connection) {
    return Dialects.detectBuiltIn(connection);
  }

  private static String lower(String value) {
    return value.toLowerCase(Locale.ROOT);
  }
}
