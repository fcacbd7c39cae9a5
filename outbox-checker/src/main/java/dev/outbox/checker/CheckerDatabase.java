package dev.outbox.checker;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.embedded.EmbeddedDatabase;
import dev.outbox.embedded.EmbeddedMariaDb;
import dev.outbox.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.h2.tools.Server;

/**
 * The database under check, a real server reachable over TCP so that dispatchers in other processes
 * share it: embedded PostgreSQL, embedded MariaDB, or H2 in server mode. Besides the outbox tables
 * it holds the writers' business tables: one row per aggregate, locked and counted by every
 * transaction that writes events for it, and one row per committed business transaction.
 */
abstract class CheckerDatabase implements AutoCloseable {

  static final String DATABASE = "checker";

  abstract String engine();

  abstract String jdbcUrl();

  abstract String user();

  abstract String password();

  /** A pool for the checker's own writers and queries. */
  abstract DataSource dataSource();

  /** Kills every other connection to the checker's database, from the server side. */
  abstract void killConnections() throws SQLException;

  @Override
  public abstract void close();

  /**
   * @param directory where a database that keeps its files in the run's directory (H2) puts them
   */
  static CheckerDatabase start(String engine, Path directory) {
    return switch (engine) {
      case "postgresql" -> new Postgres();
      case "mariadb" -> new MariaDb();
      case "h2" -> new H2(directory);
      default -> throw new IllegalArgumentException("Unknown engine " + engine);
    };
  }

  /** Creates the outbox tables and the business tables, with {@code aggregates} rows. */
  void install(List<String> aggregates) throws SQLException {
    try (Connection c = dataSource().getConnection()) {
      OutboxSchema.create(c, OutboxTables.defaults());
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE checker_aggregates (id VARCHAR(64) PRIMARY KEY,"
                + " next_seq BIGINT NOT NULL)");
        s.execute(
            "CREATE TABLE checker_business (tx_id VARCHAR(64) PRIMARY KEY,"
                + " writer_id INT NOT NULL, events INT NOT NULL)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO checker_aggregates (id, next_seq) VALUES (?, 0)")) {
        for (int i = 0; i < aggregates.size(); i++) {
          ps.setString(1, aggregates.get(i));
          ps.addBatch();
          if (i % 1_000 == 999 || i == aggregates.size() - 1) {
            ps.executeBatch();
          }
        }
      }
      c.commit();
    }
  }

  /** Events not yet sent (waiting, in flight or failed) plus dead letters. */
  long undelivered() throws SQLException {
    return count("SELECT COUNT(*) FROM outbox_events WHERE status <> 'sent'")
        + count("SELECT COUNT(*) FROM outbox_deadletters");
  }

  long count(String sql) throws SQLException {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Which of these business transactions committed (their business row exists). */
  Set<String> committedOf(Collection<String> txIds) throws SQLException {
    Set<String> committed = new HashSet<>();
    List<String> ids = new ArrayList<>(txIds);
    try (Connection c = dataSource().getConnection()) {
      for (int from = 0; from < ids.size(); from += 100) {
        List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 100));
        String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT tx_id FROM checker_business WHERE tx_id IN (" + marks + ")")) {
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 1, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              committed.add(rs.getString(1));
            }
          }
        }
      }
    }
    return committed;
  }

  /** PostgreSQL or MariaDB from the test kit. */
  private abstract static class Embedded extends CheckerDatabase {
    private final String engine;
    private final EmbeddedDatabase server;
    private final DataSource dataSource;

    Embedded(String engine, EmbeddedDatabase server) {
      this.engine = engine;
      this.server = server;
      this.dataSource = server.createDatabase(DATABASE);
    }

    @Override
    String engine() {
      return engine;
    }

    @Override
    String jdbcUrl() {
      return server.jdbcUrl(DATABASE);
    }

    @Override
    String user() {
      return server.user();
    }

    @Override
    String password() {
      return server.password();
    }

    @Override
    DataSource dataSource() {
      return dataSource;
    }

    @Override
    public void close() {
      server.close();
    }

    Connection unpooledConnection() throws SQLException {
      return DriverManager.getConnection(jdbcUrl(), user(), password());
    }
  }

  private static final class Postgres extends Embedded {
    Postgres() {
      super("postgresql", EmbeddedPostgresServer.start());
    }

    @Override
    void killConnections() throws SQLException {
      try (Connection c = unpooledConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + DATABASE
                + "' AND pid <> pg_backend_pid()");
      }
    }
  }

  private static final class MariaDb extends Embedded {
    /**
     * A million events take about 450 MB with their indexes; with the test server's 64 MB pool the
     * large run read 55 GB from disk in eight minutes and measured the disk, not the relay.
     */
    private static final int BUFFER_POOL_MB = 1024;

    MariaDb() {
      super("mariadb", EmbeddedMariaDb.start(BUFFER_POOL_MB));
    }

    /** {@code KILL} is a statement of its own, one per connection. */
    @Override
    void killConnections() throws SQLException {
      try (Connection c = unpooledConnection();
          Statement s = c.createStatement()) {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs =
            s.executeQuery(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '"
                    + DATABASE
                    + "' AND ID <> CONNECTION_ID()")) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
          }
        }
        for (long id : ids) {
          try {
            s.execute("KILL CONNECTION " + id);
          } catch (SQLException e) {
            // it ended by itself in between
          }
        }
      }
    }
  }

  /**
   * H2 in server mode: a database file in the run's directory, served over TCP through a {@link
   * ConnectionCutter}.
   */
  private static final class H2 extends CheckerDatabase {
    private final Server server;
    private final ConnectionCutter cutter;
    private final HikariDataSource dataSource;

    H2(Path directory) {
      try {
        Files.deleteIfExists(directory.resolve(DATABASE + ".mv.db")); // an earlier run's
      } catch (IOException e) {
        throw new UncheckedIOException("Could not delete the earlier run's H2 database", e);
      }
      try {
        server =
            Server.createTcpServer(
                    "-tcpPort", "0", "-baseDir", directory.toString(), "-ifNotExists")
                .start();
      } catch (SQLException e) {
        throw new IllegalStateException("Could not start the H2 server", e);
      }
      cutter = new ConnectionCutter(server.getPort());
      HikariConfig config = new HikariConfig();
      config.setPoolName("checker-h2");
      config.setJdbcUrl(jdbcUrl());
      config.setUsername(user());
      config.setPassword(password());
      config.setMaximumPoolSize(8);
      dataSource = new HikariDataSource(config);
    }

    @Override
    String engine() {
      return "h2";
    }

    @Override
    String jdbcUrl() {
      return "jdbc:h2:tcp://127.0.0.1:" + cutter.port() + "/" + DATABASE + ";DB_CLOSE_DELAY=-1";
    }

    @Override
    String user() {
      return "sa";
    }

    @Override
    String password() {
      return "";
    }

    @Override
    DataSource dataSource() {
      return dataSource;
    }

    /**
     * Resets every client connection in the relay in front of the server. H2's own {@code
     * ABORT_SESSION} is not used: aborting a session in the middle of a transaction closes the
     * whole database (seen with H2 2.3.232), as does stopping the TCP server under load.
     */
    @Override
    void killConnections() {
      cutter.cutAll();
    }

    @Override
    public void close() {
      dataSource.close();
      cutter.close();
      server.stop();
    }
  }
}
