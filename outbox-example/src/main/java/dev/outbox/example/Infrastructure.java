package dev.outbox.example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outbox.embedded.EmbeddedDatabase;
import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedMariaDb;
import dev.outbox.embedded.EmbeddedPostgresServer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database and the broker the example runs on: the ones configured, or real servers started
 * in-process, so a fresh clone needs nothing installed.
 */
final class Infrastructure implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

  private final @Nullable EmbeddedDatabase embeddedDatabase;
  private final @Nullable EmbeddedKafka embeddedKafka;
  private final HikariDataSource dataSource;
  private final String bootstrapServers;

  private Infrastructure(
      @Nullable EmbeddedDatabase embeddedDatabase,
      @Nullable EmbeddedKafka embeddedKafka,
      HikariDataSource dataSource,
      String bootstrapServers) {
    this.embeddedDatabase = embeddedDatabase;
    this.embeddedKafka = embeddedKafka;
    this.dataSource = dataSource;
    this.bootstrapServers = bootstrapServers;
  }

  static Infrastructure start(ExampleOptions options) {
    EmbeddedDatabase database = null;
    EmbeddedKafka kafka = null;
    try {
      String url = options.jdbcUrl();
      String user = options.dbUser();
      String password = options.dbPassword();
      if (url == null) {
        LOG.info(
            "No --jdbc-url given: starting an embedded {} database", options.embeddedDatabase());
        database =
            options.embeddedDatabase().equals("mariadb")
                ? EmbeddedMariaDb.start()
                : EmbeddedPostgresServer.start();
        database.detachShutdownHook(); // closed in order by the example's own hook
        url = database.jdbcUrl();
        user = database.user();
        password = database.password();
      }
      String bootstrap = options.bootstrapServers();
      if (bootstrap == null) {
        LOG.info("No --bootstrap-servers given: starting a Kafka broker in-process");
        kafka = EmbeddedKafka.start();
        kafka.detachShutdownHook();
        bootstrap = kafka.bootstrapServers();
      }
      LOG.info("Database {} as {}, Kafka {}", url, user, bootstrap);
      return new Infrastructure(database, kafka, pool(url, user, password), bootstrap);
    } catch (RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      }
      if (database != null) {
        database.close();
      }
      throw e;
    }
  }

  private static HikariDataSource pool(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(8);
    config.setPoolName("outbox-example");
    return new HikariDataSource(config);
  }

  DataSource dataSource() {
    return dataSource;
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** Connections first, then the servers this example started. */
  @Override
  public void close() {
    dataSource.close();
    LOG.info("Database connections closed");
    if (embeddedKafka != null) {
      embeddedKafka.close();
    }
    if (embeddedDatabase != null) {
      embeddedDatabase.close();
    }
  }
}
