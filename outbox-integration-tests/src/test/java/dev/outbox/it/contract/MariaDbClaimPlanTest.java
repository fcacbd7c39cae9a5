package dev.outbox.it.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.internal.Sql;
import dev.outbox.spi.HeadClaimQuery;
import dev.outbox.spi.SqlStatement;
import dev.outbox.test.contract.ClaimPlanContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class MariaDbClaimPlanTest extends ClaimPlanContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbClaimPlanTest.class);

  private static final int EXCLUDED = 300;
  private static final String AGGREGATE_RANGE = "(aggregate_id) <";
  private static final int AGGREGATES = 50;
  private static final int SENT_PER_AGGREGATE = 200;

  @Override
  protected DataSource dataSource() {
    return DATA_SOURCE;
  }

  @Test
  void aWindowThatExcludesTestedAggregatesIsPlannedWithoutARangePerExcludedAggregate()
      throws SQLException {
    for (int i = 0; i < 50; i++) {
      commit(event("waiting-" + i, "agg-" + i));
    }
    List<String> excluded = new ArrayList<>();
    for (int i = 0; i < EXCLUDED; i++) {
      excluded.add("agg-" + i);
    }
    SqlStatement window = dialect().selectDueWindow(Instant.now(), null, 0, excluded, 100);
    SqlStatement unhinted =
        SqlStatement.of(
            window.sql().replace(" FORCE INDEX (outbox_events_due_idx)", ""), window.parameters());
    assertThat(unhinted.sql()).isNotEqualTo(window.sql());

    // Each range of the aggregate index costs the planner an index dive: with a thousand excluded
    // aggregates under load, most of a second per window.
    assertThat(optimizerTrace(window))
        .contains("outbox_events_due_idx")
        .doesNotContain(AGGREGATE_RANGE);
    assertThat(optimizerTrace(unhinted))
        .as("the trace shows those ranges")
        .contains(AGGREGATE_RANGE);
  }

  /** What MariaDB's optimizer considered for a window read excluding EXCLUDED aggregates. */
  private String optimizerTrace(SqlStatement window) throws SQLException {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET optimizer_trace = 'enabled=on'");
      try {
        new Sql(dialect()).query(c, window, rs -> rs.getLong(1));
        try (ResultSet rs =
            s.executeQuery("SELECT trace FROM information_schema.optimizer_trace")) {
          assertThat(rs.next()).isTrue();
          return rs.getString(1);
        }
      } finally {
        s.execute("SET optimizer_trace = 'enabled=off'");
      }
    }
  }

  @Test
  void theHeadTestDoesNotReadTheEventsAnAggregateHasAlreadySent() throws SQLException {
    execute(
        "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
            + " payload, status, attempts, created_at, sent_at) SELECT CONCAT('sent-', seq), 'T',"
            + " 'Thing', CONCAT('busy-', seq % "
            + AGGREGATES
            + "), 't', '{}', 'sent', 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM seq_1_to_"
            + SENT_PER_AGGREGATE * AGGREGATES);
    for (int i = 0; i < AGGREGATES; i++) {
      commit(event("waiting-" + i, "busy-" + i));
    }
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE TABLE outbox_events");
    }

    int heads = 0;
    long indexReads;
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("FLUSH STATUS");
      Instant now = Instant.now();
      heads =
          new Sql(dialect())
              .query(
                  c,
                  dialect()
                      .claimHeads(
                          HeadClaimQuery.dueBy(now, 10)
                              .holdAfterDeadLetter(true)
                              .inDueOrder(true)
                              .build()),
                  rs -> 1)
              .size();
      try (ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read_next'")) {
        assertThat(rs.next()).isTrue();
        indexReads = rs.getLong(2);
      }
      c.rollback();
    }

    assertThat(heads).isEqualTo(10);
    // MIN(id) over the unsent statuses walked every entry of the aggregate in its index, sent ones
    // included; under a steady 5,000 events/s that made each claim slower than the one before.
    assertThat(indexReads / heads).isLessThan(SENT_PER_AGGREGATE / 10);
  }
}
