package dev.outbox.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.contract.ClaimPlanContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class MariaDbClaimPlanTest extends ClaimPlanContract {

  private static final DataSource DATA_SOURCE = SharedServers.mariaDb(MariaDbClaimPlanTest.class);

  private static final int EXCLUDED = 300;

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
    String trace;
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET optimizer_trace = 'enabled=on'");
      try (PreparedStatement ps = c.prepareStatement(dialect().selectDueWindow(false, EXCLUDED))) {
        dialect().setInstant(ps, 1, Instant.now());
        for (int i = 0; i < EXCLUDED; i++) {
          ps.setString(2 + i, "agg-" + i);
        }
        ps.setInt(2 + EXCLUDED, 100);
        ps.executeQuery().close();
      }
      try (ResultSet rs = s.executeQuery("SELECT trace FROM information_schema.optimizer_trace")) {
        assertThat(rs.next()).isTrue();
        trace = rs.getString(1);
      }
    }

    // Each range of the aggregate index costs the planner an index dive: with a thousand excluded
    // aggregates under load, most of a second per window.
    assertThat(trace).contains("outbox_events_due_idx").doesNotContain("(aggregate_id) <");
  }
}
