package dev.outbox.it.contract;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * Databases given from outside through environment variables, for running the contract suite
 * against real installations (the machine's own PostgreSQL or MariaDB, MySQL 8 in CI): {@code
 * OUTBOX_TEST_<NAME>_URL}, {@code _USER} and {@code _PASSWORD}. The suite drops and recreates the
 * outbox tables in that database.
 */
final class ExternalDatabases {

  private ExternalDatabases() {}

  static DataSource fromEnvironment(String name) {
    String prefix = "OUTBOX_TEST_" + name + "_";
    String url = System.getenv(prefix + "URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          prefix + "URL is not set; the external-databases profile needs it (see CONTRIBUTING.md)");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(System.getenv().getOrDefault(prefix + "USER", ""));
    config.setPassword(System.getenv().getOrDefault(prefix + "PASSWORD", ""));
    config.setMaximumPoolSize(8);
    config.setPoolName("external-" + name.toLowerCase(java.util.Locale.ROOT));
    return new HikariDataSource(config);
  }
}
