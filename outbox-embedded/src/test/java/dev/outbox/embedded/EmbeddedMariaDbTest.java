package dev.outbox.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {

  private static EmbeddedMariaDb mariaDb;

  @BeforeAll
  static void start() {
    mariaDb = EmbeddedMariaDb.start();
  }

  @AfterAll
  static void stop() {
    mariaDb.close();
  }

  @Test
  void runsQueriesThroughThePool() throws SQLException {
    try (Connection connection = mariaDb.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB");
      statement.execute("INSERT INTO t VALUES (1, 'x'), (2, 'y')");
      try (ResultSet rs =
          statement.executeQuery("SELECT v FROM t ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("x");
      }
      assertThat(single(statement, "SELECT DATABASE()")).isEqualTo("test");
      assertThat(single(statement, "SELECT VERSION()")).contains("MariaDB");
      assertThat(single(statement, "SELECT @@global.time_zone")).isEqualTo("+00:00");
    }
  }

  @Test
  void connectsWithTheAdvertisedUrlAndUser() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(mariaDb.jdbcUrl(), mariaDb.user(), mariaDb.password());
        Statement statement = connection.createStatement()) {
      assertThat(single(statement, "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void createsIsolatedDatabases() throws SQLException {
    DataSource other = mariaDb.createDatabase("isolated_one");
    try (Connection connection = other.getConnection();
        Statement statement = connection.createStatement()) {
      assertThat(single(statement, "SELECT DATABASE()")).isEqualTo("isolated_one");
      statement.execute("CREATE TABLE t (id BIGINT)");
    }
    assertThatThrownBy(() -> mariaDb.createDatabase("x;drop"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
