package dev.outbox.relay;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.outbox.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command of {@code outbox}, its output and exit code, on an embedded PostgreSQL. */
class OutboxCliTest {

  private static final AtomicLong ORIGINAL_IDS = new AtomicLong(1_000_000);

  private static EmbeddedPostgresServer postgres;
  private static DataSource dataSource;
  private static Path config;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgresServer.start();
    dataSource = postgres.createDatabase("cli");
    config = dir.resolve("relay.properties");
    Files.writeString(
        config,
        "spring.datasource.url="
            + postgres.jdbcUrl("cli")
            + "\nspring.datasource.username="
            + postgres.user()
            + "\nspring.datasource.password="
            + postgres.password()
            + "\n");
    Cli applied = Cli.run("schema", "apply", "--config", config.toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("schema applied: outbox_events, outbox_deadletters");
  }

  @AfterAll
  static void stop() {
    postgres.close();
  }

  @BeforeEach
  void emptyTables() throws SQLException {
    execute("DELETE FROM outbox_events", "DELETE FROM outbox_deadletters");
  }

  @Test
  void helpListsEveryCommandAndItsExitCodes() {
    Cli help = Cli.run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains(
            "relay",
            "status",
            "dead-letters",
            "schema",
            "check",
            "Exit codes:",
            "nothing has the id given, or nothing matched",
            "declined at the confirmation");
    for (String[] command :
        new String[][] {
          {"relay", "--help"},
          {"status", "--help"},
          {"dead-letters", "--help"},
          {"dead-letters", "list", "--help"},
          {"dead-letters", "show", "--help"},
          {"dead-letters", "replay", "--help"},
          {"dead-letters", "purge", "--help"},
          {"schema", "print", "--help"},
          {"schema", "apply", "--help"},
          {"check", "--help"}
        }) {
      Cli run = Cli.run(command);
      assertThat(run.exitCode()).as(String.join(" ", command)).isZero();
      assertThat(run.out()).startsWith("Usage: outbox " + command[0]);
    }
  }

  @Test
  void aBadCommandLineIsOneClearLineAndExitCodeTwo() {
    assertUsageError(Cli.run(), "outbox: a command is required (see 'outbox --help')");
    assertUsageError(
        Cli.run("status", "--nope"),
        "outbox: Unknown option: '--nope' (see 'outbox status --help')");
    assertUsageError(
        Cli.run("schema", "print", "--database", "oracle"),
        "outbox: --database: 'oracle' is none of postgresql, mysql, mariadb, h2 (see 'outbox"
            + " schema print --help')");
    assertUsageError(
        Cli.run("status", "--config", dir.resolve("missing.properties").toString()),
        "outbox: --config: no readable file " + dir.resolve("missing.properties"));
    assertUsageError(
        Cli.run("dead-letters", "list", "--config", config.toString(), "--limit", "0"),
        "outbox: limit must be between 1 and 10000, was 0");
    assertUsageError(
        Cli.run("dead-letters", "replay", "--config", config.toString()),
        "outbox: give the EVENT_IDs to replay, or --matching and filters (see 'outbox dead-letters"
            + " replay --help')");
    assertUsageError(
        Cli.run("dead-letters", "purge", "--config", config.toString(), "d-1", "--type", "T"),
        "outbox: filters and --all select only with --matching");
    assertUsageError(
        Cli.run("relay", "stray"), "outbox: 'stray' is neither an option nor a setting");
  }

  @Test
  void withoutADatabaseTheCommandSaysWhatToSet() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.properties"), "outbox.batch-size=10\n");
    String whatToSet =
        ": No database is configured: spring.datasource.url is not set.\n"
            + "  Set spring.datasource.url, spring.datasource.username and"
            + " spring.datasource.password in the --config file, as environment variables"
            + " (SPRING_DATASOURCE_URL…) or, for the relay, as --name=value arguments.\n";
    Cli status = Cli.run("status", "--config", empty.toString());
    assertThat(status.exitCode()).isEqualTo(OutboxCli.USAGE);
    assertThat(status.err()).isEqualTo("outbox status" + whatToSet);
    Cli relay = Cli.run("relay", "--config", empty.toString());
    assertThat(relay.exitCode()).isEqualTo(OutboxCli.USAGE);
    assertThat(relay.err()).isEqualTo("outbox relay" + whatToSet);
  }

  @Test
  void aRelayListeningBeyondLoopbackWithoutCredentialsRefusesToStart() {
    Cli relay =
        Cli.run(
            "relay", "--config", config.toString(), "--server.address=0.0.0.0", "--server.port=0");
    assertThat(relay.exitCode()).isEqualTo(OutboxCli.USAGE);
    assertThat(relay.err())
        .isEqualTo(
            "outbox relay: The outbox console would listen on 0.0.0.0 (every interface), where"
                + " other machines can reach it, without credentials of its own: anyone who"
                + " reaches it could try to read or change the outbox's dead letters.\n"
                + "  Set outbox.console.token (16 characters or more), or outbox.console.username"
                + " and outbox.console.password (8 or more), e.g. as OUTBOX_CONSOLE_TOKEN. Or"
                + " listen on the loopback interface only: server.address=127.0.0.1. If the"
                + " application's own security signs in the console's users, or nothing else can"
                + " reach this address (a container's port published on its host's loopback"
                + " only), say so with outbox.console.require-credentials=false. Or turn the"
                + " console off: outbox.console.enabled=false.\n");
  }

  /**
   * Regression: a relay that could not start printed around its one useful line some 200 lines of
   * log and a 59-line stack trace, on standard output, where an operator looks last.
   */
  @Test
  void aRelayThatCannotStartPrintsOnlyWhatIsWrongOnStandardError() throws Exception {
    Path log = dir.resolve("refused.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OutboxCli.class.getName(),
                "relay",
                "--config",
                config.toString(),
                "--outbox.kafka.bootstrap-servers=127.0.0.1:1",
                "--outbox.batch-size=0",
                "--server.port=0",
                // As a relay started from its jar logs: to standard output.
                "--logging.config=classpath:relay-process-logback.xml")
            .redirectOutput(log.toFile())
            .start();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("done within 60 s").isTrue();

    assertThat(process.exitValue()).as(err).isEqualTo(OutboxCli.USAGE);
    assertThat(err).isEqualTo(refusedBatchSize());
    assertThat(Files.readString(log)).isEmpty();
  }

  /**
   * Regression: a refused setting was wrapped in "Error creating bean with name 'outboxDispatcher'
   * … Factory method … threw exception with message: …", exit code 1.
   */
  @Test
  void aRelayWithARefusedSettingPrintsWhatIsWrongAndWhatToDoAndExits2() {
    Cli relay =
        Cli.run(
            "relay",
            "--config",
            config.toString(),
            "--outbox.kafka.bootstrap-servers=127.0.0.1:1",
            "--outbox.batch-size=0",
            "--server.port=0");
    assertThat(relay.exitCode()).as(relay.err()).isEqualTo(OutboxCli.USAGE);
    assertThat(relay.err()).isEqualTo(refusedBatchSize());
    assertThat(relay.out()).isEmpty();
  }

  private static String refusedBatchSize() {
    return "outbox relay: An outbox setting is invalid: outbox.batch-size must be between 1 and"
        + " 10000, was 0\n"
        + "  Change it where the application is configured (application.properties or .yaml, an"
        + " environment variable such as OUTBOX_BATCH_SIZE, or a --outbox.…=… argument).\n";
  }

  /** Regression: jdbc:postgres: got "Failed to determine a suitable driver class", exit code 1. */
  @Test
  void aJdbcUrlWhoseSchemeNoDriverTakesGetsAHint() throws IOException {
    Path postgres =
        Files.writeString(
            dir.resolve("postgres.properties"),
            "spring.datasource.url=jdbc:postgres://outbox:secret@localhost:5432/outbox\n");
    for (String command : new String[] {"relay", "status"}) {
      Cli run = Cli.run(command, "--config", postgres.toString());
      assertThat(run.exitCode()).as(run.err()).isEqualTo(OutboxCli.USAGE);
      assertThat(run.err())
          .isEqualTo(
              "outbox "
                  + command
                  + ": spring.datasource.url starts jdbc:postgres:, which no JDBC driver here"
                  + " takes; they take jdbc:h2:, jdbc:mariadb:, jdbc:mysql:, jdbc:postgresql:.\n"
                  + "  Correct spring.datasource.url (jdbc:postgresql://host:5432/database, say)."
                  + " For a database of another kind, put its JDBC driver on the class path and"
                  + " set spring.datasource.driver-class-name.\n");
    }
  }

  /** Regression: a malformed --config file failed with a stack trace, no file, no line, exit 1. */
  @Test
  void aMalformedConfigFileIsNamedWithItsLine() throws IOException {
    Path properties =
        Files.writeString(
            dir.resolve("malformed.properties"),
            "# the relay\nspring.datasource.url=jdbc:postgresql://localhost/outbox\n"
                + "outbox.topic=\\u12x4\noutbox.batch-size=10\n");
    assertUsageError(
        Cli.run("relay", "--config", properties.toString()),
        "outbox: --config: " + properties + " line 3: Malformed \\uxxxx encoding.");
    Path yaml =
        Files.writeString(
            dir.resolve("malformed.yaml"),
            "spring:\n  datasource:\n    url: jdbc:postgresql://localhost/outbox\n"
                + "   username: outbox\n");
    assertUsageError(
        Cli.run("status", "--config", yaml.toString()),
        "outbox: --config: "
            + yaml
            + " line 4, column 4: expected <block end>, but found '<block mapping start>'"
            + " (while parsing a block mapping at line 2)");
  }

  @Test
  void aStartFailureShowsItsStackTraceOnlyWithDebug() {
    String[] unreachable = {
      "relay",
      "--config",
      config.toString(),
      "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/outbox",
      "--outbox.kafka.bootstrap-servers=127.0.0.1:1",
      "--server.port=0"
    };
    String failure =
        "outbox relay: Could not connect to the outbox database: Connection to 127.0.0.1:1"
            + " refused. Check that the hostname and port are correct and that the postmaster is"
            + " accepting TCP/IP connections. (SQLState 08001): Connection refused";

    Cli relay = Cli.run(unreachable);
    assertThat(relay.exitCode()).as(relay.err()).isEqualTo(OutboxCli.FAILED);
    assertThat(relay.err()).isEqualTo(failure + "\n");

    Cli debug = Cli.run(append(unreachable, "--debug"));
    assertThat(debug.exitCode()).as(debug.err()).isEqualTo(OutboxCli.FAILED);
    List<String> lines = debug.err().lines().toList();
    assertThat(lines.get(0)).isEqualTo(failure);
    assertThat(lines.get(1))
        .isEqualTo(
            "org.springframework.context.ApplicationContextException: Failed to start bean"
                + " 'outboxDispatcherLifecycle'");
    assertThat(lines)
        .contains("Caused by: java.net.ConnectException: Connection refused")
        .anyMatch(line -> line.startsWith("\tat dev.outbox.relay.RelayApplication.start("));
  }

  @Test
  void schemaPrintNeedsNoDatabase() {
    Cli print = Cli.run("schema", "print", "--database", "mariadb", "--events-table", "my_events");
    assertThat(print.exitCode()).isZero();
    assertThat(print.out()).contains("CREATE TABLE IF NOT EXISTS my_events").contains(";\n");
  }

  @Test
  void statusShowsTheBacklogTheOldestWaitingEventAndTheLeases() throws SQLException {
    insertEvent("e-1", "pending", null);
    insertEvent("e-2", "processing", "relay-a");
    insertDeadLetter("d-1", "OrderPlaced", "Order", "1", "broker said: timeout");

    Cli status = Cli.run("status", "--config", config.toString());

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains(
            "backlog: 2 unsent (pending 1, retry 0, processing 1, failed 0); 1 dead letters",
            "oldest waiting: ",
            "lease: relay-a holds 1 event(s) until ",
            "held behind dead letters: none");
  }

  @Test
  void deadLettersAreListedByFilterAndShownWhole() throws SQLException {
    insertDeadLetter("d-1", "OrderPlaced", "Order", "1", "Broker said: TIMEOUT after 30 s");
    insertDeadLetter("d-2", "OrderPlaced", "Order", "2", "record too large");
    insertDeadLetter("d-3", "UserCreated", "User", "7", "100% of retries_used");

    Cli byType =
        Cli.run("dead-letters", "list", "--config", config.toString(), "--type", "OrderPlaced");
    assertThat(byType.out()).contains("d-1", "d-2", "2 dead letter(s)").doesNotContain("d-3");
    Cli byError =
        Cli.run("dead-letters", "list", "--config", config.toString(), "--error", "timeout");
    assertThat(byError.out()).contains("d-1", "1 dead letter(s)").doesNotContain("d-2");
    // LIKE's wildcards in the text are matched as they are
    Cli literal =
        Cli.run("dead-letters", "list", "--config", config.toString(), "--error", "0% of retries_");
    assertThat(literal.out()).contains("d-3", "1 dead letter(s)");
    Cli page = Cli.run("dead-letters", "list", "--config", config.toString(), "--limit", "1");
    assertThat(page.out())
        .contains("d-1", "1 of 3 dead letter(s); next page: --after-id ")
        .doesNotContain("d-2");

    Cli show = Cli.run("dead-letters", "show", "--config", config.toString(), "d-2");
    assertThat(show.exitCode()).isZero();
    assertThat(show.out())
        .contains(
            "event id:        d-2", "aggregate:       Order/2", "error:           record too large")
        .contains("{\"order\":\"2\"}");
    Cli missing = Cli.run("dead-letters", "show", "--config", config.toString(), "nope");
    assertThat(missing.exitCode()).isEqualTo(OutboxCli.NOT_FOUND);
    assertThat(missing.err())
        .isEqualTo("outbox dead-letters show: no dead letter has event id nope\n");
  }

  /** Regression: a list that matched nothing exited 0, where replay and purge exit 3. */
  @Test
  void aListThatMatchesNothingExitsThreeAsEveryCommandDoes() {
    Cli none =
        Cli.run("dead-letters", "list", "--config", config.toString(), "--type", "NoSuchType");
    assertThat(none.exitCode()).isEqualTo(OutboxCli.NOT_FOUND);
    assertThat(none.out()).isEqualTo("no dead letter matches\n");
  }

  /**
   * Regression: the command line printed URL credentials, passwords and bearer tokens found in an
   * error in clear, where the console masked them.
   */
  @Test
  void listAndShowMaskTheCredentialsInAnError() throws SQLException {
    insertDeadLetter(
        "d-secret",
        "OrderPlaced",
        "Order",
        "1",
        "connect jdbc:postgresql://bob:Url-Secret-55@db/app failed; password=Pw-Secret-66;"
            + " Authorization: Bearer Tok-Secret-77");

    Cli list = Cli.run("dead-letters", "list", "--config", config.toString());
    Cli show = Cli.run("dead-letters", "show", "--config", config.toString(), "d-secret");

    for (Cli cli : new Cli[] {list, show}) {
      assertThat(cli.exitCode()).as(cli.err()).isZero();
      assertThat(cli.out())
          .contains("d-secret", "******")
          .doesNotContain("Url-Secret-55", "Pw-Secret-66", "Tok-Secret-77");
    }
  }

  /**
   * Regression: {@code purge --matching --yes} without a filter deleted every dead letter, where
   * the actuator endpoint asks for a filter or an explicit "all".
   */
  @Test
  void everyDeadLetterIsSelectedOnlyWithAll() throws SQLException {
    insertDeadLetter("d-1", "OrderPlaced", "Order", "1", "timeout");
    insertDeadLetter("d-2", "UserCreated", "User", "7", "timeout");

    assertUsageError(
        Cli.run("dead-letters", "purge", "--config", config.toString(), "--matching", "--yes"),
        "outbox: replaying or purging every dead letter needs --all; or filter by eventType,"
            + " aggregateType, aggregateId, from, to or error");
    assertUsageError(
        Cli.run(
            "dead-letters",
            "purge",
            "--config",
            config.toString(),
            "--matching",
            "--all",
            "--type",
            "OrderPlaced"),
        "outbox: --all selects every dead letter: give filters or --all, not both");
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(2);

    Cli all =
        Cli.run(
            "dead-letters", "purge", "--config", config.toString(), "--matching", "--all", "--yes");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out()).startsWith("purged 2 of 2 dead letter(s) (all there are) (as ");
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isZero();
  }

  /** Regression: status said "(the first 10 shown)" of 10,000 held aggregates, with no total. */
  @Test
  void statusGivesTheTotalOfTheHeldAggregatesItCuts() throws SQLException {
    for (int i = 0; i < 12; i++) {
      insertDeadLetter("held-" + i, "OrderPlaced", "Order", "held-" + i, "timeout", 0);
      insertEvent("after-" + i, "pending", null, "Order", "held-" + i);
    }

    Cli status = Cli.run("status", "--config", config.toString());

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("(the first 10 of 12 shown)");
  }

  @Test
  void aBulkReplayIsShownByDryRunNeedsYesOffATerminalAndPutsTheEventsBack() throws SQLException {
    insertDeadLetter("d-1", "OrderPlaced", "Order", "1", "timeout");
    insertDeadLetter("d-2", "OrderPlaced", "Order", "2", "timeout");
    insertDeadLetter("d-3", "UserCreated", "User", "7", "timeout");
    String[] matching = {
      "dead-letters", "replay", "--config", config.toString(), "--matching", "--type", "OrderPlaced"
    };

    Cli dryRun = Cli.run(append(matching, "--dry-run"));
    assertThat(dryRun.exitCode()).isZero();
    assertThat(dryRun.out())
        .isEqualTo("would replay 2 dead letter(s) matching eventType=OrderPlaced:\nd-1\nd-2\n");
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(3);

    Cli unconfirmed = Cli.run(matching);
    assertThat(unconfirmed.exitCode()).isEqualTo(OutboxCli.USAGE);
    assertThat(unconfirmed.err())
        .startsWith("outbox: --matching selects 2 dead letter(s): add --yes to replay them");

    Cli replayed = Cli.run(append(matching, "--yes"));
    assertThat(replayed.exitCode()).as(replayed.err()).isZero();
    assertThat(replayed.out())
        .startsWith("replayed 2 of 2 dead letter(s) matching eventType=OrderPlaced (as ");
    assertThat(replayed.err()).contains("replay [####################] 2/2");
    assertThat(count("SELECT count(*) FROM outbox_events WHERE status = 'pending'")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(1);

    Cli none = Cli.run(append(matching, "--yes"));
    assertThat(none.exitCode()).isEqualTo(OutboxCli.NOT_FOUND);
    assertThat(none.out()).isEqualTo("no dead letter matches\n");
  }

  @Test
  void purgeByIdChecksEveryIdBeforeChangingAnything() throws SQLException {
    insertDeadLetter("d-1", "OrderPlaced", "Order", "1", "timeout");
    insertDeadLetter("d-2", "OrderPlaced", "Order", "2", "timeout");

    Cli unknown = Cli.run("dead-letters", "purge", "--config", config.toString(), "d-1", "nope");
    assertThat(unknown.exitCode()).isEqualTo(OutboxCli.NOT_FOUND);
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(2);

    Cli purged = Cli.run("dead-letters", "purge", "--config", config.toString(), "d-1");
    assertThat(purged.exitCode()).isZero();
    assertThat(purged.out()).startsWith("purged 1 of 1 dead letter(s) with event id d-1 (as ");
    assertThat(count("SELECT count(*) FROM outbox_deadletters WHERE event_id = 'd-1'")).isZero();
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(1);
  }

  /**
   * Regression: {@code purge <id>} deleted at once, even on a terminal; and a "no" to a question
   * exited 1, documented as "failed". Run on a pseudo-terminal ({@code script}, from util-linux).
   */
  @Test
  void aPurgeByIdOnATerminalAsksFirstAndANoExitsFour() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/script")),
        "no /usr/bin/script (util-linux) to give the command a terminal");
    insertDeadLetter("d-1", "OrderPlaced", "Order", "1", "timeout");

    TerminalRun declined =
        onATerminal("n", "dead-letters", "purge", "--config", config.toString(), "d-1");
    assertThat(declined.exitCode()).as(declined.output()).isEqualTo(OutboxCli.DECLINED);
    assertThat(declined.output()).contains("Purge 1 dead letter(s)? [y/N]", "not confirmed");
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(1);

    TerminalRun confirmed =
        onATerminal("y", "dead-letters", "purge", "--config", config.toString(), "d-1");
    assertThat(confirmed.exitCode()).as(confirmed.output()).isZero();
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isZero();
  }

  private record TerminalRun(int exitCode, String output) {}

  /** Runs the command in a JVM of its own on a pseudo-terminal, answering its question. */
  private static TerminalRun onATerminal(String answer, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(OutboxCli.class.getName());
    command.addAll(List.of(args));
    String shell =
        command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(joining(" "));
    Process process =
        new ProcessBuilder("/usr/bin/script", "-qec", shell, "/dev/null")
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("done within 60 s").isTrue();
    return new TerminalRun(process.exitValue(), output);
  }

  private static void assertUsageError(Cli cli, String startOfLine) {
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(OutboxCli.USAGE);
    assertThat(cli.err()).startsWith(startOfLine).hasLineCount(1);
    assertThat(cli.out()).isEmpty();
  }

  private static String[] append(String[] args, String more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }

  private static void insertEvent(String eventId, String status, String lockedBy)
      throws SQLException {
    insertEvent(eventId, status, lockedBy, "A", eventId);
  }

  private static void insertEvent(
      String eventId, String status, String lockedBy, String aggregateType, String aggregateId)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id,"
                    + " topic, payload, status, next_attempt_at, created_at, locked_by,"
                    + " locked_until) VALUES (?, 'T', ?, ?, 'topic', '{}', ?,"
                    + " statement_timestamp(), statement_timestamp(), ?,"
                    + " statement_timestamp() + interval '1 minute')")) {
      s.setString(1, eventId);
      s.setString(2, aggregateType);
      s.setString(3, aggregateId);
      s.setString(4, status);
      s.setString(5, lockedBy);
      s.executeUpdate();
    }
  }

  private static void insertDeadLetter(
      String eventId, String type, String aggregateType, String aggregateId, String error)
      throws SQLException {
    insertDeadLetter(
        eventId, type, aggregateType, aggregateId, error, ORIGINAL_IDS.incrementAndGet());
  }

  /**
   * @param originalId the outbox row it was: its id comes back with a replay, and the aggregate's
   *     waiting events with higher ids are held behind it
   */
  private static void insertDeadLetter(
      String eventId,
      String type,
      String aggregateType,
      String aggregateId,
      String error,
      long originalId)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO outbox_deadletters (event_id, original_id, event_type,"
                    + " aggregate_type, aggregate_id, topic, payload, attempts, last_error,"
                    + " created_at, dead_lettered_at) VALUES (?, ?, ?, ?, ?, 'orders', ?, 3, ?,"
                    + " statement_timestamp(), statement_timestamp())")) {
      s.setString(1, eventId);
      s.setLong(2, originalId);
      s.setString(3, type);
      s.setString(4, aggregateType);
      s.setString(5, aggregateId);
      s.setString(6, "{\"order\":\"" + aggregateId + "\"}");
      s.setString(7, error);
      s.executeUpdate();
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void execute(String... sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }
}
