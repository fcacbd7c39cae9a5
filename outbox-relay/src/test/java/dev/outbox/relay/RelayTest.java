package dev.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The relay on an embedded PostgreSQL and an in-process Kafka broker. */
class RelayTest {

  /** docs/relay.md's statement for PostgreSQL, as a writer in any language sends it. */
  static final String PLAIN_SQL_INSERT =
      "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
          + " payload, headers, status, next_attempt_at, created_at)"
          + " VALUES ('%s', 'OrderPlaced', 'Order', '%s', '%s', '{\"order\":\"%s\"}',"
          + " '{\"source\":\"psql\"}', 'pending', statement_timestamp(), statement_timestamp())";

  private static EmbeddedPostgresServer postgres;
  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    postgres = EmbeddedPostgresServer.start();
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    kafka.close();
    postgres.close();
  }

  @Test
  void publishesRowsWrittenWithPlainSqlAndAnswersItsProbesAndPrometheus() throws Exception {
    DataSource database = postgres.createDatabase("plain_sql");
    kafka.createTopic("orders", 1);
    try (ConfigurableApplicationContext relay = relay("plain_sql", Map.of())) {
      insert(database, "orders", "sql-1", "42", "42");
      insert(database, "orders", "sql-2", "42", "42b");

      List<ConsumerRecord<String, String>> records =
          kafka.read("orders", 2, Duration.ofSeconds(30));
      assertThat(records).extracting(ConsumerRecord::key).containsExactly("42", "42");
      assertThat(records)
          .extracting(ConsumerRecord::value)
          .containsExactly("{\"order\":\"42\"}", "{\"order\":\"42b\"}");
      assertThat(header(records.get(0), "event_id")).isEqualTo("sql-1");
      assertThat(header(records.get(0), "source")).isEqualTo("psql");

      String base = "http://127.0.0.1:" + relay.getEnvironment().getProperty("local.server.port");
      assertThat(get(base + "/actuator/health/liveness")).contains("\"status\":\"UP\"");
      assertThat(get(base + "/actuator/health/readiness")).contains("\"status\":\"UP\"");
      assertThat(get(base + "/actuator/prometheus")).contains("outbox_backlog");
    }
  }

  @Test
  void statusShowsTheWorkersOfTheRelaysNamedAndFailsForOneThatDoesNotAnswer() throws Exception {
    postgres.createDatabase("status");
    try (ConfigurableApplicationContext relay = relay("status", Map.of())) {
      String console =
          "http://127.0.0.1:" + relay.getEnvironment().getProperty("local.server.port") + "/outbox";
      String silent = "http://127.0.0.1:1/outbox";
      Cli status =
          Cli.run(
              "status",
              "--config",
              config("status", Map.of()).toString(),
              "--relay",
              console,
              "--relay",
              silent);

      assertThat(status.exitCode()).isEqualTo(OutboxCli.FAILED);
      assertThat(status.out())
          .contains(
              "backlog: 0 unsent",
              "held behind dead letters: none",
              "relay " + console + ": instance ",
              "  worker event-processor: running, ",
              "  worker cleanup-processor: running, ",
              "relay " + silent + ": no answer: ");
    }
  }

  @Test
  void deadLettersCannotBeReadWithoutSigningInUnlessTheRelayListensOnLoopbackOnly()
      throws Exception {
    DataSource database = postgres.createDatabase("reads");
    try (ConfigurableApplicationContext relay = relay("reads", Map.of())) {
      execute(
          database,
          "INSERT INTO outbox_deadletters (event_id, original_id, event_type, aggregate_type,"
              + " aggregate_id, topic, payload, headers, attempts, last_error, created_at,"
              + " dead_lettered_at) VALUES ('dl-1', 0, 'OrderPlaced', 'Order', '7', 'orders',"
              + " '{\"card\":\"4111\"}', '{}', 5, 'TimeoutException', now(), now())");
      // On 127.0.0.1, the relay's default, only this machine reaches it: anyone here may read.
      String console = console(relay);
      assertThat(get(console + "/api/dead-letters")).contains("dl-1", "TimeoutException");
      assertThat(get(console + "/api/dead-letter?eventId=dl-1"))
          .contains("\"contentShown\":false")
          .doesNotContain("4111");
    }
    String token = "relay-token-0123456789";
    try (ConfigurableApplicationContext relay =
        relay("reads", Map.of("server.address", "0.0.0.0", "outbox.console.token", token))) {
      String console = console(relay);
      HttpResponse<String> anonymous = send(console + "/api/dead-letters", Map.of());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).doesNotContain("dl-1");
      assertThat(send(console + "/api/dead-letters", Map.of("Authorization", "Bearer " + token)))
          .satisfies(r -> assertThat(r.statusCode()).isEqualTo(200))
          .satisfies(r -> assertThat(r.body()).contains("dl-1"));
    }
  }

  @Test
  void twoRelaysOnOneTablePublishEachEventOnceInEachAggregatesOrder() throws Exception {
    DataSource database = postgres.createDatabase("two_relays");
    kafka.createTopic("shared", 4);
    int events = 3_000;
    int aggregates = 30;
    try (ConfigurableApplicationContext a = relay("two_relays", Map.of("outbox.instance-id", "a"));
        ConfigurableApplicationContext b = relay("two_relays", Map.of("outbox.instance-id", "b"))) {
      // One transaction per event, committed while both relays claim.
      insertAll(database, "shared", events, aggregates, true);

      assertInAggregateOrder(readAllOnce("shared", events));
    }
  }

  @Test
  void aRelayStoppedBySigtermMidStreamLosesNothing() throws Exception {
    DataSource database = postgres.createDatabase("sigterm");
    kafka.createTopic("stream", 1);
    int events = 20_000;
    int aggregates = 100;
    Cli schema = Cli.run("schema", "apply", "--config", config("sigterm", Map.of()).toString());
    assertThat(schema.exitCode()).as(schema.err()).isZero();
    insertAll(database, "stream", events, aggregates, false);

    Path log = dir.resolve("relay.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OutboxCli.class.getName(),
                "relay",
                "--config",
                // No drain: the stop must cut the stream, for the restart to have work left.
                config("sigterm", Map.of("outbox.batch-size", "50", "outbox.drain-timeout", "0s"))
                    .toString(),
                "--server.port=0",
                "--logging.config=classpath:relay-process-logback.xml")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await("2,000 events sent")
          .atMost(Duration.ofSeconds(60))
          .until(() -> sent(database) >= 2_000);
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    } finally {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(output).contains("Outbox relay ready").contains("Outbox dispatcher");
    assertThat(output).containsPattern("Outbox dispatcher \\S+ stopped");
    assertThat(sent(database)).isLessThan(events);

    try (ConfigurableApplicationContext rest = relay("sigterm", Map.of())) {
      assertInAggregateOrder(readAllOnce("stream", events));
    }
  }

  /** One filter, given to a surface in its own syntax, and the dead letters it must select. */
  private record FilterCase(
      Map<String, String> parameters, List<String> options, Set<String> selects) {}

  /**
   * Regression: the actuator endpoint, the console and the command line each parsed dead-letter
   * filters their own way (names, blanks, the error filter the actuator lacked). Now they share one
   * filter, and the same filter selects the same dead letters through all three.
   */
  @Test
  void oneFilterSelectsTheSameDeadLettersThroughTheActuatorTheConsoleAndTheCommandLine()
      throws Exception {
    DataSource database = postgres.createDatabase("filters");
    Path config = config("filters", Map.of());
    try (ConfigurableApplicationContext relay =
        relay("filters", Map.of("management.endpoints.web.exposure.include", "health,outbox"))) {
      insertDeadLetter(database, "dl-1", "OrderPlaced", "Order", "1", "broker said: TIMEOUT");
      insertDeadLetter(database, "dl-2", "OrderPlaced", "Order", "2", "record too large");
      insertDeadLetter(database, "dl-3", "UserCreated", "User", "1", "timeout after 30 s");
      String base = "http://127.0.0.1:" + relay.getEnvironment().getProperty("local.server.port");
      List<FilterCase> cases =
          List.of(
              new FilterCase(
                  Map.of("eventType", "OrderPlaced"),
                  List.of("--type", "OrderPlaced"),
                  Set.of("dl-1", "dl-2")),
              new FilterCase(
                  Map.of("aggregateType", "Order", "aggregateId", "1"),
                  List.of("--aggregate-type", "Order", "--aggregate-id", "1"),
                  Set.of("dl-1")),
              new FilterCase(
                  Map.of("error", "timeout"),
                  List.of("--error", "timeout"),
                  Set.of("dl-1", "dl-3")),
              new FilterCase(
                  Map.of("eventType", " ", "aggregateType", "User"),
                  List.of("--type", " ", "--aggregate-type", "User"),
                  Set.of("dl-3")),
              new FilterCase(
                  Map.of("to", "2000-01-01T00:00:00Z"),
                  List.of("--to", "2000-01-01T00:00:00Z"),
                  Set.of()));
      for (FilterCase filter : cases) {
        String query = query(filter.parameters());
        assertThat(eventIds(get(base + "/actuator/outbox/deadletters?" + query)))
            .as("actuator, %s", filter.parameters())
            .isEqualTo(filter.selects());
        assertThat(eventIds(get(base + "/outbox/api/dead-letters?" + query)))
            .as("console, %s", filter.parameters())
            .isEqualTo(filter.selects());
        List<String> list = new ArrayList<>(List.of("dead-letters", "list", "--config"));
        list.add(config.toString());
        list.addAll(filter.options());
        Cli cli = Cli.run(list.toArray(String[]::new));
        assertThat(eventIds(cli.out()))
            .as("command line, %s", filter.options())
            .isEqualTo(filter.selects());
      }
    }
  }

  private static String query(Map<String, String> parameters) {
    StringBuilder query = new StringBuilder();
    parameters.forEach(
        (name, value) ->
            query
                .append(query.length() == 0 ? "" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return query.toString();
  }

  private static Set<String> eventIds(String text) {
    Set<String> ids = new TreeSet<>();
    Matcher m = Pattern.compile("\\bdl-\\d+\\b").matcher(text);
    while (m.find()) {
      ids.add(m.group());
    }
    return ids;
  }

  private static void insertDeadLetter(
      DataSource database,
      String eventId,
      String type,
      String aggregateType,
      String aggregateId,
      String error)
      throws SQLException {
    try (Connection c = database.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO outbox_deadletters (event_id, original_id, event_type,"
                    + " aggregate_type, aggregate_id, topic, payload, attempts, last_error,"
                    + " created_at, dead_lettered_at) VALUES (?, ?, ?, ?, ?, 'orders', '{}', 3, ?,"
                    + " statement_timestamp(), statement_timestamp())")) {
      s.setString(1, eventId);
      s.setLong(2, 1_000_000L + Long.parseLong(eventId.substring(3)));
      s.setString(3, type);
      s.setString(4, aggregateType);
      s.setString(5, aggregateId);
      s.setString(6, error);
      s.executeUpdate();
    }
  }

  private ConfigurableApplicationContext relay(String database, Map<String, String> more) {
    Map<String, Object> properties = new LinkedHashMap<>(settings(database));
    properties.putAll(more);
    return RelayApplication.start(properties, null);
  }

  private static Map<String, String> settings(String database) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spring.datasource.url", postgres.jdbcUrl(database));
    settings.put("spring.datasource.username", postgres.user());
    settings.put("spring.datasource.password", postgres.password());
    settings.put("outbox.kafka.bootstrap-servers", kafka.bootstrapServers());
    settings.put("outbox.create-schema", "true");
    settings.put("outbox.poll-interval", "100ms");
    settings.put("server.port", "0");
    return settings;
  }

  private Path config(String database, Map<String, String> more) throws IOException {
    Map<String, String> all = new LinkedHashMap<>(settings(database));
    all.putAll(more);
    StringBuilder text = new StringBuilder();
    all.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
    return Files.writeString(dir.resolve(database + "-" + all.hashCode() + ".properties"), text);
  }

  private static void insert(
      DataSource database, String topic, String eventId, String aggregate, String order)
      throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      s.execute(String.format(PLAIN_SQL_INSERT, eventId, aggregate, topic, order));
    }
  }

  /** The topic's records, once all {@code events} are there and no more came. */
  private static List<ConsumerRecord<String, String>> readAllOnce(String topic, int events) {
    assertThat(kafka.read(topic, events, Duration.ofSeconds(60))).hasSize(events);
    // One more than written: a duplicate would show up here, after the read waits for it.
    List<ConsumerRecord<String, String>> records =
        kafka.read(topic, events + 1, Duration.ofSeconds(3));
    assertThat(records).hasSize(events);
    return records;
  }

  /**
   * Events 0 to {@code events - 1} of {@code topic}, event i the next of aggregate {@code agg-(i
   * mod aggregates)}: each in a transaction of its own, or all in one.
   */
  private static void insertAll(
      DataSource database, String topic, int events, int aggregates, boolean eachOnItsOwn)
      throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(eachOnItsOwn);
      for (int i = 0; i < events; i++) {
        String insert =
            String.format(
                PLAIN_SQL_INSERT,
                topic + "-" + i,
                "agg-" + (i % aggregates),
                topic,
                String.valueOf(i));
        if (eachOnItsOwn) {
          s.execute(insert);
        } else {
          s.addBatch(insert);
        }
      }
      if (!eachOnItsOwn) {
        s.executeBatch();
        c.commit();
      }
    }
  }

  private static long sent(DataSource database) throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM outbox_events WHERE status = 'sent'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Each aggregate's events in the order written: their payloads' numbers rise. */
  private static void assertInAggregateOrder(List<ConsumerRecord<String, String>> records) {
    Map<String, Integer> last = new HashMap<>();
    for (ConsumerRecord<String, String> record : records) {
      String value = record.value();
      int order =
          Integer.parseInt(value.substring(value.indexOf(":\"") + 2, value.lastIndexOf('"')));
      Integer previous = last.put(record.key(), order);
      assertThat(previous == null || previous < order)
          .as("%s: %s after %s", record.key(), order, previous)
          .isTrue();
    }
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = send(url, Map.of());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> send(String url, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    headers.forEach(request::header);
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The relay's console, reached on 127.0.0.1 whatever address it listens on. */
  private static String console(ConfigurableApplicationContext relay) {
    return "http://127.0.0.1:"
        + relay.getEnvironment().getProperty("local.server.port")
        + "/outbox";
  }

  private static void execute(DataSource database, String sql) throws SQLException {
    try (Connection c = database.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
