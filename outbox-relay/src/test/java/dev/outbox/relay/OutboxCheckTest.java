package dev.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedMariaDb;
import dev.outbox.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outbox check} on embedded PostgreSQL and MariaDB and the in-process broker. */
class OutboxCheckTest {

  private static EmbeddedPostgresServer postgres;
  private static EmbeddedMariaDb mariadb;
  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgresServer.start();
    mariadb = EmbeddedMariaDb.start();
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    kafka.close();
    mariadb.close();
    postgres.close();
  }

  @Test
  void passesOnPostgresqlAndLeavesNothingBehind() throws Exception {
    DataSource database = postgres.createDatabase("check_pg");
    Path config = config(postgres.jdbcUrl("check_pg"), postgres.user(), postgres.password());

    Cli check =
        Cli.run("check", "--config", config.toString(), "--events", "3000", "--rate", "3000");

    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(check.out())
        .contains("3000 events of 100 aggregates to topic outbox-check-chk-")
        .contains("PASSED: committed=3000 rolled_back=")
        .contains("lost=0 phantom=0 reordered=0 split=0 dead_lettered=0")
        .containsPattern(
            "cleaned up: 3000 outbox row\\(s\\), 0 dead letter\\(s\\), topic \\S+ deleted")
        .doesNotContain("not cleaned up");
    assertThat(count(database, "SELECT count(*) FROM outbox_events")).isZero();
    assertThat(checkTopics()).isEmpty();
  }

  @Test
  void passesOnMariadb() throws Exception {
    DataSource database = mariadb.createDatabase("check_maria");
    Path config = config(mariadb.jdbcUrl("check_maria"), mariadb.user(), mariadb.password());

    Cli check =
        Cli.run("check", "--config", config.toString(), "--events", "1000", "--rate", "2000");

    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(check.out())
        .contains("PASSED: committed=1000", "lost=0 phantom=0 reordered=0 split=0 dead_lettered=0");
    assertThat(count(database, "SELECT count(*) FROM outbox_events")).isZero();
    assertThat(checkTopics()).isEmpty();
  }

  @Test
  void failsWhenNothingPublishesAndStillCleansUp() throws Exception {
    DataSource database = postgres.createDatabase("check_nothing");
    Path config = config(postgres.jdbcUrl("check_nothing"), postgres.user(), postgres.password());
    assertThat(Cli.run("schema", "apply", "--config", config.toString()).exitCode()).isZero();

    Cli check =
        Cli.run(
            "check",
            "--config",
            config.toString(),
            "--no-dispatcher",
            "--events",
            "20",
            "--timeout",
            "2s");

    assertThat(check.exitCode()).as(check.err()).isEqualTo(OutboxCli.FAILED);
    assertThat(check.out())
        .contains("published by the relays running")
        .contains("FAILED: committed=20 rolled_back=")
        .contains("delivered=0 lost=20 phantom=0 reordered=0")
        .contains("cleaned up: 20 outbox row(s)");
    assertThat(count(database, "SELECT count(*) FROM outbox_events")).isZero();
    assertThat(checkTopics()).isEmpty();
  }

  @Test
  void badOptionsGetOneLineAndExitTwo() throws Exception {
    Path config = config(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
    Cli none = Cli.run("check", "--config", config.toString(), "--events", "0");
    assertThat(none.exitCode()).isEqualTo(OutboxCli.USAGE);
    assertThat(none.err())
        .isEqualTo("outbox: --events must be 1 to 1000000, was 0 (see 'outbox check --help')\n");
    Cli badTimeout = Cli.run("check", "--config", config.toString(), "--timeout", "soon");
    assertThat(badTimeout.exitCode()).isEqualTo(OutboxCli.USAGE);
    assertThat(badTimeout.err()).contains("'soon' is not a duration such as 90s or 5m");
  }

  private Path config(String url, String user, String password) throws IOException {
    return Files.writeString(
        dir.resolve("check.properties"),
        String.join(
            "\n",
            "spring.datasource.url=" + url,
            "spring.datasource.username=" + user,
            "spring.datasource.password=" + password,
            "outbox.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
            "outbox.create-schema=true",
            "outbox.poll-interval=100ms",
            ""));
  }

  private static Set<String> checkTopics() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      Set<String> topics = admin.listTopics().names().get();
      topics.removeIf(name -> !name.startsWith("outbox-check-"));
      return topics;
    }
  }

  private static long count(DataSource database, String sql) throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
