package dev.outbox.internal;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxDatabaseException;
import dev.outbox.OutboxException;
import dev.outbox.OutboxTables;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.DialectProvider;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds the {@link Dialect} for a database: the configured one, or detected from a connection. */
public final class Dialects {

  private static final Logger LOG = LoggerFactory.getLogger(Dialects.class);
  private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

  private Dialects() {}

  /**
   * The configured provider's dialect, or else the dialect of the first provider that supports the
   * connection's database: those found by {@link ServiceLoader} first, then the built-in ones.
   */
  public static Dialect dialect(
      @Nullable DialectProvider configured, Connection connection, OutboxTables tables) {
    if (configured != null) {
      return configured.create(tables);
    }
    List<DialectProvider> providers = new ArrayList<>();
    // The context class loader sees an application's jars where ours may not (an application
    // server, a plugin host).
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    ServiceLoader.load(
            DialectProvider.class, loader != null ? loader : Dialects.class.getClassLoader())
        .forEach(providers::add);
    providers.addAll(List.of(DatabaseType.values()));
    DialectProvider provider = detect(connection, providers);
    Dialect dialect = provider.create(tables);
    // The writer, the dispatcher and the tools each detect on their own; one line per database.
    if (REPORTED.add(provider + " " + url(connection))) {
      LOG.info("Outbox detected {} (dialect {})", dialect.name(), provider);
    } else {
      LOG.debug("Outbox detected {} (dialect {}) again", dialect.name(), provider);
    }
    return dialect;
  }

  private static String url(Connection connection) {
    try {
      return String.valueOf(connection.getMetaData().getURL());
    } catch (SQLException e) {
      return "";
    }
  }

  public static DatabaseType detectBuiltIn(Connection connection) {
    return (DatabaseType) detect(connection, List.of(DatabaseType.values()));
  }

  private static DialectProvider detect(Connection connection, List<DialectProvider> providers) {
    try {
      DatabaseMetaData meta = connection.getMetaData();
      for (DialectProvider provider : providers) {
        if (provider.supports(meta)) {
          return provider;
        }
      }
      throw new OutboxException(
          "Unsupported database '"
              + meta.getDatabaseProductName()
              + " "
              + meta.getDatabaseProductVersion()
              + "'; supported are PostgreSQL, MySQL, MariaDB and H2, and databases of the"
              + " DialectProviders on the classpath. If it is compatible with one of them, choose"
              + " that dialect explicitly.");
    } catch (SQLException e) {
      throw new OutboxDatabaseException("read the database's metadata to pick a dialect", e);
    }
  }
}
