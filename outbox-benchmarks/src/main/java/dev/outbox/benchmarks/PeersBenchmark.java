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
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private PeersBenchmark() {}

  /** A peer module: its name and its directory. */
  record Peer(String name, Path directory) {}

  /** How one peer did: its figures, or why it failed and what it printed last. */
  record Outcome(
      String name,
      String version,
      double eps,
      String settings,
      @Nullable Deliveries deliveries,
      @Nullable String failure,
      List<String> tail) {

    static Outcome failed(String name, String failure, List<String> tail) {
      return new Outcome(name, "?", 0, "", null, failure, tail);
    }

    boolean ok() {
      return failure == null;
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
    String database = "peer_" + peer.name();
    String topic = "peer-" + peer.name();
    execute(postgres, "CREATE DATABASE " + database);
    // Each peer starts on a server with nothing left to write out from the one before.
    execute(postgres, "CHECKPOINT");
    try {
      createTopic(bootstrapServers, topic);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx512m");
      command.add("-cp");
      command.add(
          classes
              + File.pathSeparator
              + Files.readString(classPathFile, StandardCharsets.UTF_8).strip());
      command.add(mainClass);
      command.addAll(
          List.of(
              "--jdbc-url",
              postgres.jdbcUrl(database),
              "--db-user",
              postgres.user(),
              "--bootstrap-servers",
              bootstrapServers,
              "--topic",
              topic,
              "--events",
              String.valueOf(run.events()),
              "--aggregates",
              String.valueOf(run.aggregates()),
              "--payload-bytes",
              String.valueOf(run.payloadBytes())));
      if (!postgres.password().isEmpty()) {
        command.addAll(List.of("--db-password", postgres.password()));
      }
      LOG.info(
          "[peers] {}: writes and drains {} events in a JVM of its own", peer.name(), run.events());
      return launch(peer, command, run, bootstrapServers, topic);
    } finally {
      execute(postgres, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  private static Outcome launch(
      Peer peer, List<String> command, PeerRun run, String bootstrapServers, String topic)
      throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Output output = new Output(peer.name(), process.getInputStream());
    output.start();
    try {
      if (!process.waitFor(run.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        output.join(TimeUnit.SECONDS.toMillis(10));
        return Outcome.failed(
            peer.name(),
            "still running after " + run.timeout().toMinutes() + " min",
            output.tail());
      }
      output.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + peer.name() + " ran", e);
    }
    String line = output.peerLine();
    if (process.exitValue() != 0) {
      return Outcome.failed(peer.name(), "exit code " + process.exitValue(), output.tail());
    }
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
          Deliveries.read(bootstrapServers, topic, run.events(), run.aggregates(), READ_TIMEOUT);
    } catch (RuntimeException e) {
      return Outcome.failed(peer.name(), "reading " + topic + " back failed: " + e, output.tail());
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
        output.tail());
  }

  private static void execute(EmbeddedPostgresServer postgres, String sql) throws SQLException {
    try (Connection c = postgres.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A topic of {@link #PARTITIONS} partitions, returned once every partition has a leader. */
  private static void createTopic(String bootstrapServers, String topic) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "60000"))) {
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
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
    private @Nullable String peerLine;

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
            if (line.contains("peer: name=")) {
              peerLine = line;
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

    synchronized @Nullable String peerLine() {
      return peerLine;
    }

    synchronized List<String> tail() {
      return List.copyOf(tail);
    }
  }
}
