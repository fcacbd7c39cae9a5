package dev.outbox.it.contract;

import dev.outbox.embedded.EmbeddedMariaDb;
import dev.outbox.embedded.EmbeddedPostgresServer;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * One embedded server of each kind per test JVM, started on first use; each test class gets a
 * database of its own on it. The servers stop with the JVM (outbox-embedded registers a hook).
 */
final class SharedServers {

  private static EmbeddedPostgresServer postgres;
  private static EmbeddedMariaDb mariaDb;

  private SharedServers() {}

  static synchronized DataSource postgres(Class<?> testClass) {
    if (postgres == null) {
      postgres = EmbeddedPostgresServer.start();
    }
    return postgres.createDatabase(databaseName(testClass));
  }

  static synchronized DataSource mariaDb(Class<?> testClass) {
    if (mariaDb == null) {
      mariaDb = EmbeddedMariaDb.start();
    }
    return mariaDb.createDatabase(databaseName(testClass));
  }

  private static String databaseName(Class<?> testClass) {
    return testClass.getSimpleName().toLowerCase(Locale.ROOT);
  }
}
