package dev.outbox.benchmarks;

import dev.outbox.embedded.EmbeddedPostgresServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers side by side: every peer module of {@code outbox-peers} (ours among them) drains the
 * same backlog in a JVM of its own, one after the other, on one durable embedded PostgreSQL (a
 * fresh database each) and one Kafka broker (a fresh topic each); then its topic is read back whole
 * and checked ({@link Deliveries}). Prints a table and one {@code peers:} line.
 *
 * <p>A peer is a module listed in {@code outbox-peers/pom.xml} other than {@code common}; its build
 * leaves {@code target/classes} and {@code target/peer-classpath.txt}, and its main class is {@code
 * dev.outbox.peers.<module>.PeerMain}. outbox-benchmarks declares each peer a provided dependency
 * whose own dependencies are all excluded, so that {@code -pl outbox-benchmarks -am} builds it
 * while nothing of it reaches the benchmark's class path. A listed peer that is not built, fails,
 * prints no {@code peer:} line or outlasts the timeout is reported as failed with its last lines of
 * output.
 */
final class PeersBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(PeersBenchmark.class);

  static final String ENGINE = "postgresql";
  static final String OURS = "ours";

  /** As the benchmark's own topic, which the broker creates with its one default partition. */
  static final int PARTITIONS = 1;

  private static final int TAIL_LINES = 40;
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");
  private static final Pattern PEER_LINE =
      Pattern.compile(
          "peer: name=(\\S+) version=(\\S+) events=(\\d+) drain_eps=(\\d+) settings=\"(.*)\"");
  private static final Pattern PACED_LINE =
      Pattern.compile("peer-paced: name=(\\S+) version=(\\S+) events=(\\d+)");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private PeersBenchmark() {}

  /** A peer module: its name and its directory. */
  record Peer(String name, Path directory) {}

  /**
   * How one peer did: its figures, or why it failed and what it printed last; and its paced run,
   * null if it made none.
   */
  record Outcome(
      String name,
      String version,
      double eps,
      String settings,
      @Nullable Deliveries deliveries,
      @Nullable String failure,
      List<String> tail,
      @Nullable PacedOutcome paced) {

    static Outcome failed(String name, String failure, List<String> tail) {
      return new Outcome(name, "?", 0, "", null, failure, tail, null);
    }

    Outcome withPaced(PacedOutcome newPaced) {
      return new Outcome(name, version, eps, settings, deliveries, failure, tail, newPaced);
    }

    boolean ok() {
      return failure == null;
    }
  }

  /** A peer's paced run: its latency, or why it has none and what the peer printed last. */
  record PacedOutcome(
      LatencyBenchmark.@Nullable Latency latency, @Nullable String failure, List<String> tail) {

    static PacedOutcome failed(String failure, List<String> tail) {
      return new PacedOutcome(null, failure, tail);
    }
  }

  /** Every peer's outcome, in the order run (ours first). */
  record Result(PeerRun run, List<Outcome> outcomes) {

    @Nullable Outcome ours() {
      return outcomes.stream().filter(o -> o.name().equals(OURS)).findFirst().orElse(null);
    }

    /** The fastest other peer that finished. */
    @Nullable Outcome best() {
      return outcomes.stream()
          .filter(o -> !o.name().equals(OURS) && o.ok())
          .max(Comparator.comparingDouble(Outcome::eps))
          .orElse(null);
    }

    String line() {
      StringBuilder line = new StringBuilder("peers: engine=" + ENGINE);
      for (Outcome o : outcomes) {
        line.append(' ').append(o.name()).append("_eps=").append(o.ok() ? eps(o) : "failed");
      }
      Outcome ours = ours();
      Outcome best = best();
      line.append(" best_peer=").append(best == null ? "none" : best.name());
      line.append(" ours_vs_best=")
          .append(
              best == null || ours == null || !ours.ok()
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.2f", ours.eps() / best.eps()));
      for (Outcome o : outcomes) {
        Deliveries d = o.deliveries();
        line.append(" reordered_")
            .append(o.name())
            .append('=')
            .append(d == null ? "failed" : String.valueOf(d.reordered()));
      }
      if (run.pacedRate() > 0) {
        line.append(" paced_rate=").append(run.pacedRate());
        for (Outcome o : outcomes) {
          PacedOutcome paced = o.paced();
          LatencyBenchmark.Latency latency = paced == null ? null : paced.latency();
          line.append(" p99_ms_")
              .append(o.name())
              .append('=')
              .append(
                  paced == null
                      ? "n/a"
                      : latency == null
                          ? "failed"
                          : String.format(Locale.ROOT, "%.1f", latency.p99()));
        }
      }
      return line.toString();
    }

    String table() {
      StringBuilder t = new StringBuilder();
      t.append(
          String.format(
              Locale.ROOT,
              "%n== peers: %,d events, %,d aggregates, %d-byte payloads; PostgreSQL (durable),"
                  + " a database each; Kafka, a topic of %d partition(s) each ==%n%n",
              run.events(),
              run.aggregates(),
              run.payloadBytes(),
              PARTITIONS));
      t.append(
          "| peer | version | drain events/s | ours ÷ peer | records | missing | duplicates"
              + " | reordered | settings |\n");
      t.append("|---|---|---|---|---|---|---|---|---|\n");
      Outcome ours = ours();
      for (Outcome o : outcomes) {
        Deliveries d = o.deliveries();
        if (!o.ok() || d == null) {
          t.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | failed | | | | | | %s |%n",
                  o.name(),
                  o.version(),
                  o.failure()));
          continue;
        }
        String ratio =
            o.name().equals(OURS) || ours == null || !ours.ok()
                ? "-"
                : String.format(Locale.ROOT, "%.2f", ours.eps() / o.eps());
        t.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %,.0f | %s | %,d | %,d | %,d | %,d | %s |%n",
                o.name(),
                o.version(),
                o.eps(),
                ratio,
                d.records(),
                d.missing(),
                d.duplicates(),
                d.reordered(),
                o.settings()));
      }
      if (run.pacedRate() > 0) {
        t.append(latencyTable());
      }
      for (Outcome o : outcomes) {
        Deliveries d = o.deliveries();
        if (d != null && d.unreadable() > 0) {
          t.append(
              String.format(
                  Locale.ROOT,
                  "%s: %,d records whose value is no payload of the backlog (among its records"
                      + " only)%n",
                  o.name(),
                  d.unreadable()));
        }
        if (!o.ok()) {
          t.append(
              String.format(
                  Locale.ROOT, "%n%s FAILED: %s; its last lines:%n", o.name(), o.failure()));
          o.tail().forEach(l -> t.append("  ").append(l).append('\n'));
        }
        PacedOutcome paced = o.paced();
        if (paced != null && paced.failure() != null) {
          t.append(
              String.format(
                  Locale.ROOT,
                  "%n%s's paced run FAILED: %s; its last lines:%n",
                  o.name(),
                  paced.failure()));
          paced.tail().forEach(l -> t.append("  ").append(l).append('\n'));
        }
      }
      return t.toString();
    }

    private String latencyTable() {
      StringBuilder t = new StringBuilder();
      t.append(
          String.format(
              Locale.ROOT,
              "%n== peers: commit-to-append latency at %,d events/s, one event per transaction,"
                  + " %d writers, %d s (the first %d s not counted) ==%n%n",
              run.pacedRate(),
              PeerRun.PACED_WRITERS,
              run.pacedSeconds(),
              PeerRun.PACED_WARMUP_SECONDS));
      t.append("| peer | p50 ms | p95 ms | p99 ms | max ms | events | unacknowledged |\n");
      t.append("|---|---|---|---|---|---|---|\n");
      for (Outcome o : outcomes) {
        PacedOutcome paced = o.paced();
        LatencyBenchmark.Latency l = paced == null ? null : paced.latency();
        if (l == null) {
          t.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | | | | | |%n",
                  o.name(),
                  paced == null ? "not run" : "failed"));
          continue;
        }
        t.append(
            String.format(
                Locale.ROOT,
                "| %s | %.1f | %.1f | %.1f | %.1f | %,d | %,d |%n",
                o.name(),
                l.p50(),
                l.p95(),
                l.p99(),
                l.max(),
                l.events(),
                l.unacknowledged()));
      }
      return t.toString();
    }

    private static String eps(Outcome o) {
      return String.format(Locale.ROOT, "%.0f", o.eps());
    }
  }

  /** Runs the peers on a PostgreSQL server of their own and the given broker; prints the result. */
  static Result run(String bootstrapServers, PeerRun run) throws IOException, SQLException {
    List<Peer> peers = peers(run.names());
    List<Outcome> outcomes = new ArrayList<>();
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startDurable()) {
      for (Peer peer : peers) {
        try {
          outcomes.add(runPeer(postgres, bootstrapServers, peer, run));
        } catch (IOException | SQLException | RuntimeException e) {
          LOG.warn("[peers] {}: could not be run", peer.name(), e);
          outcomes.add(Outcome.failed(peer.name(), "could not be run: " + e, List.of()));
        }
      }
    }
    Result result = new Result(run, outcomes);
    System.out.print(result.table());
    System.out.println(result.line());
    return result;
  }

  /** The {@code outbox-peers} directory, looked for from the working directory upwards. */
  static Path peersDirectory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("outbox-peers").resolve("pom.xml"))) {
        return dir.resolve("outbox-peers");
      }
    }
    throw new IllegalStateException(
        "no outbox-peers/pom.xml in " + Path.of("").toAbsolutePath() + " or above");
  }

  /** The peer modules listed in {@code outbox-peers/pom.xml}, ours first, then by name. */
  static List<Peer> discover(Path peersDirectory) throws IOException {
    String pom = Files.readString(peersDirectory.resolve("pom.xml"), StandardCharsets.UTF_8);
    List<Peer> peers = new ArrayList<>();
    Matcher m = MODULE.matcher(pom);
    while (m.find()) {
      String name = m.group(1);
      if (!name.equals("common")) {
        if (!NAME.matcher(name).matches()) {
          throw new IllegalStateException(
              "peer module '" + name + "' is not a package name (dev.outbox.peers.<name>)");
        }
        peers.add(new Peer(name, peersDirectory.resolve(name)));
      }
    }
    peers.sort(Comparator.comparing((Peer p) -> !p.name().equals(OURS)).thenComparing(Peer::name));
    return peers;
  }

  /**
   * The peers to run: those named, or every one.
   *
   * @throws IllegalArgumentException naming a peer that is not a module of outbox-peers
   */
  static List<Peer> peers(List<String> names) {
    List<Peer> peers;
    try {
      peers = discover(peersDirectory());
    } catch (IOException e) {
      throw new IllegalStateException("could not read outbox-peers/pom.xml", e);
    }
    if (names.isEmpty()) {
      return peers;
    }
    for (String name : names) {
      if (peers.stream().noneMatch(p -> p.name().equals(name))) {
        throw new IllegalArgumentException(
            "--peers: no peer module '"
                + name
                + "'; there are "
                + peers.stream().map(Peer::name).toList());
      }
    }
    return peers.stream().filter(p -> names.contains(p.name())).toList();
  }

  private static Outcome runPeer(
      EmbeddedPostgresServer postgres, String bootstrapServers, Peer peer, PeerRun run)
      throws IOException, SQLException {
    Path classes = peer.directory().resolve("target").resolve("classes");
    Path classPathFile = peer.directory().resolve("target").resolve("peer-classpath.txt");
    String mainClass = "dev.outbox.peers." + peer.name() + ".PeerMain";
    Path mainFile = classes.resolve(mainClass.replace('.', File.separatorChar) + ".class");
    if (!Files.isRegularFile(classPathFile) || !Files.isRegularFile(mainFile)) {
      return Outcome.failed(
          peer.name(),
          "not built: no "
              + (Files.isRegularFile(classPathFile) ? mainFile : classPathFile)
              + " (a peer is built through the reactor, mvn -q -pl outbox-benchmarks -am compile"
              + " exec:exec, as a provided dependency of outbox-benchmarks)",
          List.of());
    }
    List<String> java =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m",
            "-cp",
            classes
                + File.pathSeparator
                + Files.readString(classPathFile, StandardCharsets.UTF_8).strip(),
            mainClass);
    Target drainTarget = new Target(postgres, bootstrapServers, "peer_" + peer.name());
    Outcome drained =
        drainTarget.with(
            Map.of(),
            () -> {
              LOG.info(
                  "[peers] {}: writes and drains {} events in a JVM of its own",
                  peer.name(),
                  run.events());
              Launched launched =
                  launch(peer, drainTarget.command(java, run, run.events(), List.of()), run);
              return drained(peer, launched, run, drainTarget);
            });
    if (!drained.ok() || run.pacedRate() == 0) {
      return drained;
    }
    Target pacedTarget = new Target(postgres, bootstrapServers, "peer_" + peer.name() + "_paced");
    try {
      return drained.withPaced(
          pacedTarget.with(
              // The broker stamps each record with the time it appended it.
              Map.of("message.timestamp.type", "LogAppendTime"),
              () -> paced(peer, java, run, pacedTarget)));
    } catch (IOException | SQLException | RuntimeException e) {
      LOG.warn("[peers] {}: the paced run could not be made", peer.name(), e);
      return drained.withPaced(PacedOutcome.failed("could not be made: " + e, List.of()));
    }
  }

  /** Where one run of a peer writes: a database of its own, and a topic of the same name. */
  private record Target(EmbeddedPostgresServer postgres, String bootstrapServers, String name) {

    String topic() {
      return name.replace('_', '-');
    }

    /** Runs {@code action} with the database and topic created, and drops the database after. */
    <T> T with(Map<String, String> topicConfig, IoAction<T> action)
        throws IOException, SQLException {
      execute(postgres, "CREATE DATABASE " + name);
      // Each run starts on a server with nothing left to write out from the one before.
      execute(postgres, "CHECKPOINT");
      try {
        createTopic(bootstrapServers, topic(), topicConfig);
        return action.run();
      } finally {
        execute(postgres, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }

    List<String> command(List<String> java, PeerRun run, int events, List<String> more) {
      List<String> command = new ArrayList<>(java);
      command.addAll(
          List.of(
              "--jdbc-url",
              postgres.jdbcUrl(name),
              "--db-user",
              postgres.user(),
              "--bootstrap-servers",
              bootstrapServers,
              "--topic",
              topic(),
              "--events",
              String.valueOf(events),
              "--aggregates",
              String.valueOf(run.aggregates()),
              "--payload-bytes",
              String.valueOf(run.payloadBytes())));
      if (!postgres.password().isEmpty()) {
        command.addAll(List.of("--db-password", postgres.password()));
      }
      command.addAll(more);
      return command;
    }
  }

  @FunctionalInterface
  private interface IoAction<T> {
    T run() throws IOException;
  }

  /** A peer's program run to its end: its exit code and output, or why it was stopped. */
  private record Launched(@Nullable String failure, int exitCode, Output output) {}

  private static Launched launch(Peer peer, List<String> command, PeerRun run) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Output output = new Output(peer.name(), process.getInputStream());
    output.start();
    try {
      if (!process.waitFor(run.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        output.join(TimeUnit.SECONDS.toMillis(10));
        return new Launched(
            "still running after " + run.timeout().toMinutes() + " min", -1, output);
      }
      output.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + peer.name() + " ran", e);
    }
    if (process.exitValue() != 0) {
      return new Launched("exit code " + process.exitValue(), process.exitValue(), output);
    }
    return new Launched(null, 0, output);
  }

  private static Outcome drained(Peer peer, Launched launched, PeerRun run, Target target) {
    Output output = launched.output();
    if (launched.failure() != null) {
      return Outcome.failed(peer.name(), launched.failure(), output.tail());
    }
    String line = output.line(PEER_LINE);
    if (line == null) {
      return Outcome.failed(peer.name(), "ended without a peer: line", output.tail());
    }
    Matcher m = PEER_LINE.matcher(line);
    if (!m.find() || !m.group(1).equals(peer.name())) {
      return Outcome.failed(peer.name(), "an unreadable peer: line", output.tail());
    }
    if (Integer.parseInt(m.group(3)) != run.events()) {
      return Outcome.failed(
          peer.name(), "drained " + m.group(3) + " events, not " + run.events(), output.tail());
    }
    Deliveries deliveries;
    try {
      deliveries =
          Deliveries.read(
              target.bootstrapServers(),
              target.topic(),
              run.events(),
              run.aggregates(),
              READ_TIMEOUT);
    } catch (RuntimeException e) {
      return Outcome.failed(
          peer.name(), "reading " + target.topic() + " back failed: " + e, output.tail());
    }
    LOG.info(
        "[peers] {}: {} events/s; {} records, {} missing, {} duplicates, {} reordered",
        peer.name(),
        m.group(4),
        deliveries.records(),
        deliveries.missing(),
        deliveries.duplicates(),
        deliveries.reordered());
    return new Outcome(
        peer.name(),
        m.group(2),
        Double.parseDouble(m.group(4)),
        m.group(5),
        deliveries,
        null,
        output.tail(),
        null);
  }

  /**
   * The peer's paced run ({@link PacedLatency}): its program writes {@code pacedRate} events a
   * second with its relay running, and the commit times; its topic is then read back.
   */
  private static PacedOutcome paced(Peer peer, List<String> java, PeerRun run, Target target)
      throws IOException {
    int events = Math.multiplyExact(run.pacedRate(), run.pacedSeconds());
    Path commitTimes = Files.createTempFile("peer-" + peer.name() + "-commit-times", ".txt");
    try {
      LOG.info(
          "[peers] {}: writes {} events/s for {} s with its relay running",
          peer.name(),
          run.pacedRate(),
          run.pacedSeconds());
      Launched launched =
          launch(
              peer,
              target.command(
                  java,
                  run,
                  events,
                  List.of(
                      "--paced-rate",
                      String.valueOf(run.pacedRate()),
                      "--paced-seconds",
                      String.valueOf(run.pacedSeconds()),
                      "--commit-times",
                      commitTimes.toString())),
              run);
      if (launched.failure() != null) {
        return PacedOutcome.failed(launched.failure(), launched.output().tail());
      }
      String line = launched.output().line(PACED_LINE);
      Matcher m = line == null ? null : PACED_LINE.matcher(line);
      if (m == null || !m.find()) {
        return PacedOutcome.failed("ended without a peer-paced: line", launched.output().tail());
      }
      if (Integer.parseInt(m.group(3)) != events) {
        return PacedOutcome.failed(
            "wrote " + m.group(3) + " events, not " + events, launched.output().tail());
      }
      PacedLatency latency =
          new PacedLatency(
              run.pacedRate(),
              run.aggregates(),
              run.pacedWarmupEvents(),
              PacedLatency.readCommitTimes(commitTimes, events));
      TopicReader.readAll(
          target.bootstrapServers(),
          target.topic(),
          READ_TIMEOUT,
          r -> latency.accept(r.value(), r.timestamp()));
      LatencyBenchmark.Latency result = latency.latency();
      LOG.info(
          "[peers] {}: at {} events/s p50 {} ms, p99 {} ms, {} unacknowledged",
          peer.name(),
          run.pacedRate(),
          String.format(Locale.ROOT, "%.1f", result.p50()),
          String.format(Locale.ROOT, "%.1f", result.p99()),
          result.unacknowledged());
      return new PacedOutcome(result, null, List.of());
    } catch (RuntimeException e) {
      return PacedOutcome.failed("could not be measured: " + e, List.of());
    } finally {
      Files.deleteIfExists(commitTimes);
    }
  }

  private static void execute(EmbeddedPostgresServer postgres, String sql) throws SQLException {
    try (Connection c = postgres.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A topic of {@link #PARTITIONS} partitions, returned once every partition has a leader. */
  private static void createTopic(
      String bootstrapServers, String topic, Map<String, String> config) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "60000"))) {
      admin
          .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1).configs(config)))
          .all()
          .get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        TopicDescription description =
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        if (description != null
            && description.partitions().size() == PARTITIONS
            && description.partitions().stream().allMatch(p -> p.leader() != null)) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + topic + " got no leader within 60 s");
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not create topic " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    }
  }

  /** A peer's standard output and error: its peer: line, and its last lines for a failure. */
  private static final class Output extends Thread {

    private final String peer;
    private final InputStream in;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> reported = new ArrayList<>();

    Output(String peer, InputStream in) {
      super("peer-output-" + peer);
      this.peer = peer;
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          LOG.info("[{}] {}", peer, line);
          synchronized (this) {
            if (line.contains("peer: name=") || line.contains("peer-paced: name=")) {
              reported.add(line);
            }
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException e) {
        synchronized (this) {
          tail.addLast("(reading the output failed: " + e + ")");
        }
      }
    }

    /** The last line the peer reported that {@code pattern} finds. */
    synchronized @Nullable String line(Pattern pattern) {
      for (int i = reported.size() - 1; i >= 0; i--) {
        if (pattern.matcher(reported.get(i)).find()) {
          return reported.get(i);
        }
      }
      return null;
    }

    synchronized List<String> tail() {
      return List.copyOf(tail);
    }
  }
}
