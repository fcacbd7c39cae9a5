package dev.outbox.checker;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import dev.outbox.DeadLetter;
import dev.outbox.DeadLetterQuery;
import dev.outbox.DeadLetters;
import dev.outbox.OutboxTables;
import dev.outbox.embedded.KafkaProcess;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One checker run: starts the broker (a child JVM) and the database, the dispatchers (child JVMs),
 * the writers and the fault schedule; once the writers are done and every fault is over, turns the
 * injected publish failures off, replays the dead letters until the outbox is drained, stops the
 * dispatchers and checks every record of every topic against what was committed.
 */
final class Checker {

  static final String FAULTS_OFF_FILE = "faults-off";
  private static final int PARTITIONS = 4;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private final CheckerOptions options;
  private final PrintStream out;
  private final long started = System.nanoTime();
  private final List<String> crashed = new CopyOnWriteArrayList<>();

  Checker(CheckerOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  Verdict run() throws Exception {
    Path dir = options.directory().toAbsolutePath();
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(FAULTS_OFF_FILE));
    progress(
        "starting %s, broker and %d dispatchers; logs in %s",
        options.engine(), options.dispatchers(), dir);
    try (KafkaProcess kafka = KafkaProcess.start(dir.resolve("broker.log"));
        CheckerDatabase database = CheckerDatabase.start(options.engine(), dir)) {
      createTopics(kafka.bootstrapServers());
      Aggregates aggregates =
          new Aggregates(options.hotAggregates(), options.hotShare(), options.coldAggregates());
      database.install(aggregates.all());
      Ledger ledger = new Ledger();
      List<DispatcherProcess> dispatchers = new CopyOnWriteArrayList<>();
      // A dispatcher suspended by a fault cannot read the end of its input: should this JVM be
      // stopped mid-run, kill the children rather than leave them stopped for ever.
      Thread killChildren =
          new Thread(() -> dispatchers.forEach(DispatcherProcess::kill), "checker-kill-children");
      Runtime.getRuntime().addShutdownHook(killChildren);
      List<Fault> faults;
      Drained drained;
      try {
        for (int slot = 1; slot <= options.dispatchers(); slot++) {
          dispatchers.add(
              DispatcherProcess.start(
                  slot,
                  database,
                  kafka.bootstrapServers(),
                  dir,
                  DispatcherProcess.clockSkew(slot, options.clockSkew())));
        }
        FaultInjector injector =
            new FaultInjector(
                dispatchers, kafka, database, options.faultEvery(), options.brokerOutage());
        faults = write(database, aggregates, ledger, injector);
        Files.createFile(dir.resolve(FAULTS_OFF_FILE));
        drained = drain(database);
      } finally {
        dispatchers.forEach(DispatcherProcess::close);
        Runtime.getRuntime().removeShutdownHook(killChildren);
      }
      ledger.resolve(database.committedOf(ledger.inDoubtTransactions()));
      Set<String> remaining = remainingDeadLetters(database);
      long undrained = database.undelivered();
      progress("reading every topic back");
      List<List<Delivery>> records = TopicReader.readAll(kafka.bootstrapServers(), topics());
      return Verdict.of(
          options.engine(),
          ledger,
          records,
          remaining,
          undrained,
          drained.replayed(),
          drained.withoutInjectedFailure().size(),
          options.clockSpread().toMillis(),
          faults);
    }
  }

  /** Runs the writers and the fault schedule; returns the faults once all are over. */
  private List<Fault> write(
      CheckerDatabase database, Aggregates aggregates, Ledger ledger, FaultInjector injector)
      throws InterruptedException {
    int writers = options.writers();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      int share = options.events() / writers + (i < options.events() % writers ? 1 : 0);
      BusinessWriter writer =
          new BusinessWriter(
              i + 1,
              database.dataSource(),
              ledger,
              aggregates,
              share,
              (double) options.eventsPerSecond() / writers,
              options.rollbackFraction());
      threads.add(start(writer, "checker-writer-" + (i + 1)));
    }
    Thread faults = start(injector, "checker-faults");
    long nextProgress = System.nanoTime();
    for (Thread thread : threads) {
      for (thread.join(200); thread.isAlive(); thread.join(200)) {
        if (System.nanoTime() >= nextProgress) {
          nextProgress += PROGRESS_EVERY.toNanos();
          long committed = ledger.committedCount();
          long rolledBack = ledger.rolledBackCount();
          long inDoubt = ledger.inDoubtCount();
          progress(
              "written %d (committed %d, rolled back %d, in doubt %d), not yet sent %s, faults %d,"
                  + " transactions broken off %s",
              committed + rolledBack + inDoubt,
              committed,
              rolledBack,
              inDoubt,
              undelivered(database),
              injector.faults().size(),
              ledger.abortedSummary());
        }
      }
    }
    injector.finish();
    faults.join();
    if (!crashed.isEmpty()) {
      throw new IllegalStateException("The checker's own threads failed: " + crashed);
    }
    progress("writers done; faults injected: %s", injector.faults());
    return injector.faults();
  }

  /**
   * What draining found: how many dead letters it replayed, and which of them no injected failure
   * of their own explains (the broker's outage, a crash or a clock did it).
   */
  private record Drained(long replayed, Set<String> withoutInjectedFailure) {}

  /** With injected failures off, replays dead letters until nothing is left to send. */
  private Drained drain(CheckerDatabase database) throws InterruptedException {
    // Made in the loop: the last fault may have killed the pooled connection it would read with.
    DeadLetters deadLetters = null;
    Set<String> withoutInjectedFailure = new HashSet<>();
    long replayed = 0;
    long deadline = System.nanoTime() + options.drainTimeout().toNanos();
    long nextProgress = System.nanoTime();
    while (System.nanoTime() < deadline) {
      try {
        if (deadLetters == null) {
          deadLetters = DeadLetters.create(database.dataSource(), OutboxTables.defaults());
        }
        forEachDeadLetter(
            deadLetters,
            d -> {
              if (!d.headers().containsKey(FaultInjectingPublisher.HEADER)) {
                withoutInjectedFailure.add(d.eventId());
              }
            });
        replayed += deadLetters.replay(DeadLetterQuery.all());
        long left = database.undelivered();
        if (System.nanoTime() >= nextProgress) {
          nextProgress += PROGRESS_EVERY.toNanos();
          progress("draining: %d not yet sent, %d dead letters replayed so far", left, replayed);
        }
        if (left == 0) {
          progress("drained; %d dead letters were replayed", replayed);
          return new Drained(replayed, withoutInjectedFailure);
        }
      } catch (RuntimeException | SQLException e) {
        progress("draining: %s", e);
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    progress("NOT drained within %s", options.drainTimeout());
    return new Drained(replayed, withoutInjectedFailure);
  }

  private static Set<String> remainingDeadLetters(CheckerDatabase database) {
    DeadLetters deadLetters = DeadLetters.create(database.dataSource(), OutboxTables.defaults());
    Set<String> ids = new HashSet<>();
    forEachDeadLetter(deadLetters, d -> ids.add(d.eventId()));
    return ids;
  }

  private static void forEachDeadLetter(DeadLetters deadLetters, Consumer<DeadLetter> action) {
    DeadLetterQuery query = DeadLetterQuery.builder().limit(DeadLetterQuery.MAX_LIMIT).build();
    for (List<DeadLetter> page = deadLetters.list(query); !page.isEmpty(); ) {
      page.forEach(action);
      query = query.after(page.get(page.size() - 1).id());
      page = deadLetters.list(query);
    }
  }

  private String undelivered(CheckerDatabase database) {
    try {
      return Long.toString(database.undelivered());
    } catch (SQLException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** Starts a thread whose death by an exception fails the run instead of going unnoticed. */
  private Thread start(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setUncaughtExceptionHandler((t, e) -> crashed.add(t.getName() + ": " + e));
    thread.start();
    return thread;
  }

  private static List<String> topics() {
    return IntStream.range(0, BusinessWriter.TOPICS)
        .mapToObj(i -> BusinessWriter.TOPIC_PREFIX + i)
        .toList();
  }

  private static void createTopics(String bootstrapServers) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin
          .createTopics(topics().stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList())
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  @FormatMethod
  private void progress(@FormatString String format, Object... args) {
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    out.printf("checker [%s %ds] %s%n", options.engine(), seconds, String.format(format, args));
    out.flush();
  }
}
