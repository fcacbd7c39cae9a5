package dev.outbox.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxEvent;
import dev.outbox.internal.Sql;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.HeadClaimQuery;
import dev.outbox.spi.SqlStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The claim must stay index-driven however many sent rows are kept: the plan of the claim query on
 * a table of many sent and a few waiting rows must use the index of waiting rows, not scan.
 */
public abstract class ClaimPlanContract extends ContractSupport {

  static final int SENT_ROWS = 200_000;

  @Test
  void claimStaysIndexDrivenWithManySentRowsKeptAndStatisticsThatPredateTheBacklog()
      throws SQLException {
    DatabaseType type = databaseType();
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(true);
      insertSentRows(c, type);
    }
    // Statistics taken before the backlog arrives, as in production between two auto-analyzes:
    // with them, a NOT EXISTS head test was planned as an anti join scanning every unsent row
    // per candidate.
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      analyze(s, type);
    }
    for (int i = 0; i < 200; i++) {
      commit(event("waiting-" + i, "agg-" + (i % 20)));
    }

    String plan = explainClaim();

    // Either index holds only what is waiting to be claimed; any other plan scans the sent rows.
    assertThat(plan.toLowerCase(Locale.ROOT))
        .containsAnyOf("outbox_events_due_idx", "outbox_events_status_idx")
        .doesNotContain("seq scan on outbox_events")
        .doesNotContain("tablescan")
        .doesNotContain("anti join")
        .as("every due row fetched and sorted instead of walking the index in order")
        .doesNotContain("bitmap heap scan");
    assertThat(plan.split("\\s+")).as("MySQL's full-scan access type").doesNotContain("ALL");
  }

  @Test
  void claimWalksTheDueIndexOnAFreshTableWithABacklog() {
    // Never analyzed: the planner believes the table is empty, as after a quiet period.
    List<OutboxEvent> backlog = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      backlog.add(event("backlog-" + i, "agg-" + (i % 2_000)));
    }
    inTransaction(
        c -> {
          writer.saveAll(c, backlog);
          c.commit();
        });

    String plan = explainClaim().toLowerCase(Locale.ROOT);

    assertThat(plan)
        .as("every due row fetched and sorted instead of walking the index in order")
        .doesNotContain("bitmap heap scan")
        .doesNotContain("tablescan");
    assertThat(plan.split("\\s+")).as("MySQL's full-scan access type").doesNotContain("ALL");
  }

  private static void insertSentRows(Connection c, DatabaseType type) throws SQLException {
    String columns =
        "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
            + " payload, status, attempts, created_at, sent_at) ";
    try (Statement s = c.createStatement()) {
      switch (type) {
        case POSTGRESQL ->
            s.execute(
                columns
                    + "SELECT 'sent-' || g, 'T', 'Thing', 'agg-' || (g % 5000), 't', '{}', 'sent', 1,"
                    + " now(), now() FROM generate_series(1, "
                    + SENT_ROWS
                    + ") g");
        case H2 ->
            s.execute(
                columns
                    + "SELECT 'sent-' || X, 'T', 'Thing', 'agg-' || MOD(X, 5000), 't', '{}', 'sent', 1,"
                    + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, "
                    + SENT_ROWS
                    + ")");
        case MYSQL, MARIADB -> {
          s.execute("DROP TABLE IF EXISTS plan_digits");
          s.execute("CREATE TABLE plan_digits (d INT PRIMARY KEY)");
          s.execute("INSERT INTO plan_digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
          s.execute(
              columns
                  + "SELECT CONCAT('sent-', n), 'T', 'Thing', CONCAT('agg-', n % 5000), 't', '{}',"
                  + " 'sent', 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM (SELECT a.d + 10 * b.d"
                  + " + 100 * c.d + 1000 * d.d + 10000 * e.d + 100000 * f.d AS n FROM plan_digits a,"
                  + " plan_digits b, plan_digits c, plan_digits d, plan_digits e, plan_digits f) x"
                  + " WHERE n < "
                  + SENT_ROWS);
          s.execute("DROP TABLE plan_digits");
        }
      }
    }
  }

  private static void analyze(Statement s, DatabaseType type) throws SQLException {
    switch (type) {
      case POSTGRESQL -> s.execute("ANALYZE outbox_events");
      case H2 -> s.execute("ANALYZE");
      case MYSQL, MARIADB -> s.execute("ANALYZE TABLE outbox_events");
    }
  }

  /** The plans of the window read and of the full claim, in the claim's transaction settings. */
  private String explainClaim() {
    StringBuilder plan = new StringBuilder();
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      Dialect dialect = dialect();
      Sql sql = new Sql(dialect);
      for (SqlStatement setting : dialect.claimPreparation()) {
        sql.execute(c, setting);
      }
      Instant now = Instant.now();
      for (SqlStatement statement :
          List.of(
              dialect.selectDueWindow(now, null, 0, List.of(), 100),
              dialect.claimHeads(
                  HeadClaimQuery.dueBy(now, 100)
                      .holdAfterDeadLetter(true)
                      .inDueOrder(true)
                      .build()))) {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + statement.sql())) {
          sql.bind(ps, statement);
          try (ResultSet rs = ps.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= columns; i++) {
                plan.append(rs.getString(i)).append(' ');
              }
              plan.append('\n');
            }
          }
        }
      }
      c.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return plan.toString();
  }
}
