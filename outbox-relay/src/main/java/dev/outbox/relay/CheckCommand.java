package dev.outbox.relay;

import dev.outbox.DeadLetterQuery;
import dev.outbox.DeadLetters;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.Redaction;
import dev.outbox.spring.OutboxProperties;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code outbox check}: the delivery check on the user's own database and broker. It writes events
 * in transactions (some rolled back on purpose) into the outbox, lets a dispatcher publish them to
 * a topic of its own, reads the topic back and says whether any committed event was lost, any
 * rolled-back one published, or any aggregate's order broken; then deletes what it wrote.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Proves delivery on your own database and Kafka: writes events into the outbox (every tenth"
          + " transaction rolled back), has them published to a topic of its own, reads it back"
          + " and reports lost, phantom (rolled back yet published) and reordered events, dead"
          + " letters and duplicates; then deletes its rows and its topic.",
      "It runs a dispatcher of its own unless --no-dispatcher, which leaves publishing to the"
          + " relays already running. Its dispatcher publishes whatever waits in the outbox, as"
          + " any relay would.",
      "Exits 0 if the check passed, 1 if it failed."
    })
final class CheckCommand implements Callable<Integer> {

  static final int MAX_EVENTS = 1_000_000;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(
      names = "--events",
      paramLabel = "N",
      description = "events to write, at most 1000000 (default: ${DEFAULT-VALUE})")
  int events = 10_000;

  @Option(
      names = "--aggregates",
      paramLabel = "N",
      description = "aggregates they belong to (default: ${DEFAULT-VALUE})")
  int aggregates = 100;

  @Option(
      names = "--rate",
      paramLabel = "EVENTS_PER_SECOND",
      description = "at most this many written a second (default: ${DEFAULT-VALUE})")
  int rate = 1_000;

  @Option(
      names = "--writers",
      paramLabel = "N",
      description = "connections writing at once (default: ${DEFAULT-VALUE})")
  int writers = 4;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description =
          "how long to wait for the events on the topic once written, e.g. 90s, 5m (default:"
              + " ${DEFAULT-VALUE})",
      converter = Durations.Converter.class)
  Duration timeout = Duration.ofMinutes(2);

  @Option(
      names = "--no-dispatcher",
      description = "run no dispatcher: the relays already running must publish the events")
  boolean noDispatcher;

  @Option(names = "--keep", description = "keep the rows and the topic (for a look afterwards)")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    String runId = "chk-" + HexFormat.of().formatHex(random);
    CheckPlan plan =
        new CheckPlan(
            runId,
            "outbox-check-" + runId,
            events,
            Math.min(aggregates, events),
            Math.min(writers, Math.min(aggregates, events)),
            rate);
    try (CliContext context = CliContext.open(config, !noDispatcher)) {
      DataSource dataSource = context.dataSource();
      OutboxTables tables = context.tables();
      CheckTopic topic = new CheckTopic(kafkaClient(context), plan.topic());
      topic.create();
      out.printf(
          "check %s: %d events of %d aggregates to topic %s, at most %d a second, %s%n",
          runId,
          plan.events(),
          plan.aggregates(),
          plan.topic(),
          plan.rate(),
          noDispatcher
              ? "published by the relays running"
              : "published by a dispatcher of its own");
      out.flush();
      try {
        return check(out, plan, dataSource, tables, topic);
      } finally {
        if (keep) {
          out.printf(
              "kept: rows of aggregate type %s with ids %s-…, topic %s%n",
              CheckWriters.AGGREGATE_TYPE, runId, plan.topic());
        } else {
          // Its dispatcher first, so that nothing is published to the topic once deleted.
          context.stopDispatcher();
          cleanUp(out, plan, dataSource, tables, topic);
        }
        out.flush();
      }
    }
  }

  private int check(
      PrintWriter out, CheckPlan plan, DataSource dataSource, OutboxTables tables, CheckTopic topic)
      throws Exception {
    long start = System.nanoTime();
    CheckLedger ledger =
        new CheckWriters(dataSource, OutboxWriter.builder().tables(tables).build(), plan)
            .writeAll();
    out.printf(
        "written: %d events committed, %d rolled back, in %s%n",
        ledger.committedCount(),
        ledger.rolledBackCount(),
        Durations.human(Duration.ofNanos(System.nanoTime() - start)));
    out.flush();
    long written = System.nanoTime();
    long deadline = written + timeout.toNanos();
    long[] nextReport = {written + PROGRESS_EVERY.toNanos()};
    List<List<CheckTopic.Delivery>> partitions =
        topic.readUntil(
            ledger.committedIds(),
            deadline,
            seen -> {
              if (System.nanoTime() >= nextReport[0]) {
                out.printf("on the topic: %d of %d%n", seen, ledger.committedCount());
                out.flush();
                nextReport[0] += PROGRESS_EVERY.toNanos();
              }
            });
    Set<String> deadLetters = deadLetters(plan, dataSource, tables);
    CheckVerdict verdict = CheckVerdict.of(ledger, partitions, deadLetters);
    out.printf(
        "read back %s after the last commit%n",
        Durations.human(Duration.ofNanos(System.nanoTime() - written)));
    out.println(verdict.line());
    if (verdict.deadLettered() > 0) {
      out.printf(
          "dead letters: see 'outbox dead-letters list --aggregate-type %s' (with --keep)%n",
          CheckWriters.AGGREGATE_TYPE);
    }
    return verdict.passed() ? OutboxCli.OK : OutboxCli.FAILED;
  }

  private static Set<String> deadLetters(
      CheckPlan plan, DataSource dataSource, OutboxTables tables) {
    Set<String> ids = new HashSet<>();
    for (String id :
        DeadLetters.create(dataSource, tables)
            .eventIds(
                DeadLetterQuery.builder().aggregateType(CheckWriters.AGGREGATE_TYPE).build())) {
      if (id.startsWith(plan.runId() + "-")) {
        ids.add(id);
      }
    }
    return ids;
  }

  /**
   * Deletes the run's rows, dead letters and topic, each whatever became of the others; a part that
   * fails is said, and does not hide the check's own outcome.
   */
  private static void cleanUp(
      PrintWriter out,
      CheckPlan plan,
      DataSource dataSource,
      OutboxTables tables,
      CheckTopic topic) {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    try {
      done.add(delete(dataSource, tables.events(), plan) + " outbox row(s)");
    } catch (SQLException | RuntimeException e) {
      failed.add("the outbox rows (" + Redaction.describe(e) + ")");
    }
    try {
      done.add(delete(dataSource, tables.deadLetters(), plan) + " dead letter(s)");
    } catch (SQLException | RuntimeException e) {
      failed.add("the dead letters (" + Redaction.describe(e) + ")");
    }
    try {
      topic.delete();
      done.add("topic " + plan.topic() + " deleted");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      failed.add("topic " + plan.topic() + " (" + Redaction.describe(e) + ")");
    }
    out.println("cleaned up: " + String.join(", ", done));
    if (!failed.isEmpty()) {
      out.printf(
          "not cleaned up: %s; the rows have aggregate type %s and aggregate ids %s-…%n",
          String.join(", ", failed), CheckWriters.AGGREGATE_TYPE, plan.runId());
    }
  }

  private static int delete(DataSource dataSource, String table, CheckPlan plan)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "DELETE FROM " + table + " WHERE aggregate_type = ? AND aggregate_id LIKE ?")) {
      s.setString(1, CheckWriters.AGGREGATE_TYPE);
      s.setString(2, plan.runId() + "-%");
      return s.executeUpdate();
    }
  }

  /** The broker's address and the relay's connection settings, for an admin and a consumer. */
  private Map<String, Object> kafkaClient(CliContext context) {
    OutboxProperties.Kafka kafka = context.outboxProperties().getKafka();
    // As the starter's publisher finds the broker, but for spring.kafka's own security settings:
    // outbox.kafka.properties.* carry those to the check's admin client and consumer.
    String servers = kafka.getBootstrapServers();
    if (servers == null) {
      servers = context.environment().getProperty("spring.kafka.producer.bootstrap-servers");
    }
    if (servers == null) {
      servers = context.environment().getProperty("spring.kafka.bootstrap-servers");
    }
    if (servers == null) {
      throw new ParameterException(
          spec.commandLine(),
          "the check needs the broker: set outbox.kafka.bootstrap-servers in the --config file or"
              + " as OUTBOX_KAFKA_BOOTSTRAP_SERVERS");
    }
    Map<String, Object> client = new HashMap<>(kafka.getProperties());
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
    return client;
  }

  private void validate() {
    check(
        events >= 1 && events <= MAX_EVENTS,
        "--events must be 1 to " + MAX_EVENTS + ", was " + events);
    check(aggregates >= 1, "--aggregates must be at least 1, was " + aggregates);
    check(rate >= 1 && rate <= 100_000, "--rate must be 1 to 100000, was " + rate);
    check(writers >= 1 && writers <= 32, "--writers must be 1 to 32, was " + writers);
    check(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive, was " + timeout);
  }

  private void check(boolean valid, String message) {
    if (!valid) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
