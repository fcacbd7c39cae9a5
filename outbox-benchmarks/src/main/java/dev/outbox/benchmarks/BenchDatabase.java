package dev.outbox.benchmarks;

import dev.outbox.OutboxEvent;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.embedded.EmbeddedDatabase;
import dev.outbox.embedded.EmbeddedMariaDb;
import dev.outbox.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** One embedded database server under benchmark, with the bulk operations the runs need. */
final class BenchDatabase implements AutoCloseable {

  /**
   * Holds a drain's working set (the backlog and the recent pages of each index) but not the five
   * million sent rows of the growth run, which stay on disk like the cold rows of a real server.
   */
  private static final int MARIADB_BUFFER_POOL_MB = 256;

  private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);
  private static final long SETTLED_DIRTY_PAGES = 100;

  private final String engine;
  private final EmbeddedDatabase server;
  private final DataSource dataSource;

  private BenchDatabase(String engine, EmbeddedDatabase server) throws SQLException {
    this.engine = engine;
    this.server = server;
    this.dataSource = server.createDatabase("bench");
  }

  static BenchDatabase start(String engine) throws SQLException {
    EmbeddedDatabase server =
        engine.equals("postgresql")
            ? EmbeddedPostgresServer.startDurable()
            : EmbeddedMariaDb.startDurable(MARIADB_BUFFER_POOL_MB);
    return new BenchDatabase(engine, server);
  }

  String engine() {
    return engine;
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** Empty outbox and business tables. */
  void reset() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS outbox_events");
      s.execute("DROP TABLE IF EXISTS outbox_deadletters");
      s.execute("DROP TABLE IF EXISTS bench_business");
      s.execute("CREATE TABLE bench_business (id VARCHAR(64) PRIMARY KEY, note VARCHAR(300))");
      s.execute("DROP TABLE IF EXISTS bench_accounts");
      s.execute("CREATE TABLE bench_accounts (id INTEGER PRIMARY KEY, balance BIGINT NOT NULL)");
      OutboxSchema.create(c, OutboxTables.defaults());
    }
    insertAccounts(4 * WriteOverheadBenchmark.ACCOUNTS_PER_THREAD);
  }

  /** Accounts for the realistic write: enough for four threads, each on accounts of its own. */
  private void insertAccounts(int count) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO bench_accounts (id, balance) VALUES (?, 0)")) {
      c.setAutoCommit(false);
      for (int id = 0; id < count; id++) {
        ps.setInt(1, id);
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    }
  }

  /** Commits {@code count} events of about {@code payloadBytes}, spread over the aggregates. */
  void fillPending(int count, int payloadBytes, int aggregates) throws SQLException {
    OutboxWriter writer = OutboxWriter.create();
    String filler = "x".repeat(Math.max(0, payloadBytes - 40));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      List<OutboxEvent> chunk = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        chunk.add(Events.event("agg-" + (i % aggregates), i, filler));
        if (chunk.size() == 1_000 || i == count - 1) {
          writer.saveAll(c, chunk);
          c.commit();
          chunk.clear();
        }
      }
    }
    analyze();
  }

  /** Fresh statistics, so the bare claim loop gets the plan a long-running database would. */
  private void analyze() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          engine.equals("postgresql") ? "ANALYZE outbox_events" : "ANALYZE TABLE outbox_events");
    }
  }

  /** Adds {@code count} rows that were sent long ago, as a busy outbox keeps for a day. */
  void fillSent(int count) throws SQLException {
    String columns =
        "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
            + " payload, status, attempts, created_at, sent_at) ";
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      if (engine.equals("postgresql")) {
        s.execute(
            columns
                + "SELECT 'sent-' || g, 'BenchEvent', 'Bench', 'old-' || (g % 10000),"
                + " 'bench-events', repeat('x', 260), 'sent', 1, now(), now()"
                + " FROM generate_series(1, "
                + count
                + ") g");
      } else {
        s.execute(
            columns
                + "SELECT CONCAT('sent-', seq), 'BenchEvent', 'Bench', CONCAT('old-', seq % 10000),"
                + " 'bench-events', REPEAT('x', 260), 'sent', 1, UTC_TIMESTAMP(6),"
                + " UTC_TIMESTAMP(6) FROM seq_1_to_"
                + count);
      }
    }
    settle();
  }

  /**
   * Brings the server to where a table of old rows would be: vacuumed and analyzed, its pages
   * written out. Without it the drain measured next shared the disk with the bulk insert's
   * aftermath: on MariaDB 190 MB of dirty pages were still being flushed during it.
   */
  private void settle() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      if (engine.equals("postgresql")) {
        s.execute("VACUUM (ANALYZE) outbox_events");
        s.execute("CHECKPOINT");
        return;
      }
      s.execute("ANALYZE TABLE outbox_events");
      String limit = globalVariable(s, "innodb_max_dirty_pages_pct");
      s.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
      try {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (dirtyPages(s) > SETTLED_DIRTY_PAGES && System.nanoTime() < deadline) {
          Thread.sleep(500);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        s.execute("SET GLOBAL innodb_max_dirty_pages_pct = " + limit);
      }
    }
  }

  private static String globalVariable(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT @@GLOBAL." + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long dirtyPages(Statement s) throws SQLException {
    try (ResultSet rs =
        s.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")) {
      rs.next();
      return rs.getLong(2);
    }
  }

  /** Whether any event still waits or is being published. */
  boolean hasUnsent() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        var rs =
            s.executeQuery(
                "SELECT 1 FROM outbox_events WHERE status IN ('pending', 'retry', 'processing')"
                    + " LIMIT 1")) {
      return rs.next();
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
