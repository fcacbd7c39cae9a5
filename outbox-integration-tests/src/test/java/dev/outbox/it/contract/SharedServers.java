package dev.outbox.it.contract;

import dev.outbox.embedded.EmbeddedMariaDb;
import dev.outbox.embedded.EmbeddedPostgresServer;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * One embedded server of each kind per test JVM, started on first use; each test class gets a
 * database of its own on it. The servers stop with the JVM (outbox-embedded registers a hook).
 */
public final class SharedServers {

  private static EmbeddedPostgresServer postgres;
  private static EmbeddedMariaDb mariaDb;

  private SharedServers() {}

  static DataSource postgres(Class<?> testClass) {
    return postgres(databaseName(testClass));
  }

  static DataSource mariaDb(Class<?> testClass) {
    return mariaDb(databaseName(testClass));
  }

  /** A new database of this name on the shared PostgreSQL server. */
  public static synchronized DataSource postgres(String database) {
    if (postgres == null) {
      postgres = EmbeddedPostgresServer.start();
    }
    return postgres.createDatabase(database);
  }

  /** A new database of this name on the shared MariaDB server. */
  public static synchronized DataSource mariaDb(String database) {
    if (mariaDb == null) {
      mariaDb = EmbeddedMariaDb.start();
    }
    return mariaDb.createDatabase(database);
  }

  private static String databaseName(Class<?> testClass) {
    return testClass.getSimpleName().toLowerCase(Locale.ROOT);
  }
}
