package dev.outbox.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresServerTest {

  private static EmbeddedPostgresServer postgres;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @Test
  void runsQueriesThroughThePool() throws SQLException {
    try (Connection connection = postgres.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT)");
      statement.execute("INSERT INTO t VALUES (1, 'x'), (2, 'y')");
      try (ResultSet rs =
          statement.executeQuery("SELECT v FROM t ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("x");
      }
      assertThat(single(statement, "SELECT current_database()")).isEqualTo("test");
      assertThat(single(statement, "SHOW server_version")).startsWith("17.");
      assertThat(single(statement, "SHOW log_timezone")).isEqualTo("UTC");
    }
  }

  @Test
  void connectsWithTheAdvertisedUrlAndUser() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement statement = connection.createStatement()) {
      assertThat(single(statement, "SELECT current_user")).isEqualTo(postgres.user());
    }
  }

  @Test
  void createsIsolatedDatabases() throws SQLException {
    DataSource other = postgres.createDatabase("isolated_one");
    try (Connection connection = other.getConnection();
        Statement statement = connection.createStatement()) {
      assertThat(single(statement, "SELECT current_database()")).isEqualTo("isolated_one");
      statement.execute("CREATE TABLE t (id BIGINT)"); // no clash with the test database's table
    }
    assertThatThrownBy(() -> postgres.createDatabase("Bad-Name"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeStopsTheServerAndDeletesItsFiles() throws Exception {
    EmbeddedPostgresServer second = EmbeddedPostgresServer.start();
    Path data = dataDirectory(second);
    assertThat(data).exists();
    second.close();
    second.close(); // idempotent
    assertThat(Files.exists(data)).isFalse();
    assertThatThrownBy(() -> DriverManager.getConnection(second.jdbcUrl(), "postgres", ""))
        .isInstanceOf(SQLException.class);
  }

  private static Path dataDirectory(EmbeddedPostgresServer server) throws Exception {
    var field = EmbeddedPostgresServer.class.getDeclaredField("dataDirectory");
    field.setAccessible(true);
    return (Path) field.get(server);
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
