package dev.outbox.embedded;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** The connection pools one embedded database server handed out, closed together with it. */
final class Pools {

  /**
   * Enough for a few relay threads competing for rows plus the test's own connection, small enough
   * that a handful of databases stays far below the servers' connection limits.
   */
  static final int MAXIMUM_POOL_SIZE = 8;

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final String serverName;
  private final List<HikariDataSource> open = new ArrayList<>();

  Pools(String serverName) {
    this.serverName = serverName;
  }

  synchronized HikariDataSource open(String database, String jdbcUrl, String user, String pass) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(serverName + "-" + database + "-" + (open.size() + 1));
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(pass);
    config.setMaximumPoolSize(MAXIMUM_POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    HikariDataSource pool = new HikariDataSource(config);
    open.add(pool);
    return pool;
  }

  synchronized void closeAll() {
    for (HikariDataSource pool : open) {
      pool.close();
    }
    open.clear();
  }

  /** Rejects names that would need quoting, so they can be put into SQL verbatim. */
  static String checkIdentifier(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Database name must match " + IDENTIFIER.pattern() + ": " + name);
    }
    return name;
  }

  /** Runs one statement on a connection of {@code dataSource}. */
  static void execute(DataSource dataSource, String sql) {
    try (Connection connection = dataSource.getConnection()) {
      execute(connection, sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run: " + sql, e);
    }
  }

  /** Runs one statement on a new, unpooled connection. */
  static void execute(String jdbcUrl, String user, String password, String sql) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
      execute(connection, sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run: " + sql, e);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
