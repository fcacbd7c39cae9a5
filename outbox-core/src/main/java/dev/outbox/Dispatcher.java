package dev.outbox;

import dev.outbox.internal.Counters;
import dev.outbox.internal.DatabaseClock;
import dev.outbox.internal.DeadLetterStore;
import dev.outbox.internal.Dialects;
import dev.outbox.internal.EventClaimer;
import dev.outbox.internal.EventProcessor;
import dev.outbox.internal.Listeners;
import dev.outbox.internal.Maintenance;
import dev.outbox.internal.MaintenanceStore;
import dev.outbox.internal.NamedThreads;
import dev.outbox.internal.OutcomeWriter;
import dev.outbox.internal.PeriodicWorker;
import dev.outbox.internal.SchemaInstaller;
import dev.outbox.internal.Sql;
import dev.outbox.internal.Transactions;
import dev.outbox.internal.WorkerState;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.DispatcherListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Publishes every committed outbox event, with four workers: the event processor, the dead-letter
 * mover, the stuck-event recoverer and the cleanup.
 *
 * <pre>{@code
 * try (Dispatcher dispatcher = Dispatcher.builder(dataSource)
 *     .publisher(KafkaPublisher.builder().bootstrapServers("localhost:9092").build())
 *     .createSchema(true)
 *     .build()) {
 *   dispatcher.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops claiming, lets the batch in hand be published and recorded (bounded by
 * the shutdown timeout), stops the workers and closes the publisher. Whatever it could not finish
 * stays in the table under a lease and is taken back after the stuck timeout, so nothing is lost.
 */
public final class Dispatcher implements AutoCloseable {

  private static final Duration INTERRUPTED_PROCESSOR_GRACE = Duration.ofSeconds(1);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final DataSource dataSource;
  private final DispatcherConfig config;
  private final Logger log;
  private final Counters counters = new Counters();
  private final Listeners listeners;
  private final Object lock = new Object();
  private State state = State.NEW;
  private @Nullable MaintenanceStore store;
  private @Nullable DeadLetters deadLetters;
  private @Nullable OutboxInspector inspector;
  private @Nullable EventProcessor processor;
  private @Nullable Thread processorThread;
  private @Nullable Maintenance maintenance;
  private final List<PeriodicWorker> workers = new ArrayList<>();

  Dispatcher(DataSource dataSource, DispatcherConfig config) {
    this.dataSource = dataSource;
    this.config = config;
    this.log = config.logger();
    this.listeners = new Listeners(config.listeners(), log);
  }

  public static DispatcherBuilder builder(DataSource dataSource) {
    return new DispatcherBuilder(dataSource);
  }

  /**
   * Adds a listener told of every claim, publish and failure from now on, for metrics made after
   * the dispatcher (as {@code OutboxMetrics} of {@code outbox-micrometer} is); see {@link
   * DispatcherListener}.
   */
  public void addListener(DispatcherListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Detects the database (unless configured), creates the tables when asked, and starts the
   * workers. A stuck-event check runs at once, taking back what a crashed run left behind.
   */
  public void start() {
    synchronized (lock) {
      if (state != State.NEW) {
        throw new IllegalStateException("Dispatcher can be started once; it is " + state);
      }
      Dialect dialect = prepareDatabase();
      Transactions tx = new Transactions(dataSource);
      Runnable synchronizeClock = synchronizeClock(tx, dialect);
      EventClaimer claimer =
          new EventClaimer(
              tx,
              dialect,
              config.deadLetterPolicy() == DeadLetterPolicy.HOLD_AGGREGATE,
              config.logger());
      MaintenanceStore maintenanceStore = new MaintenanceStore(tx, dialect);
      store = maintenanceStore;
      deadLetters = new DeadLetters(new DeadLetterStore(tx, dialect, config.clock()));
      inspector = new OutboxInspector(maintenanceStore);
      maintenance = new Maintenance(maintenanceStore, config, counters, listeners);
      processor =
          new EventProcessor(
              claimer,
              new OutcomeWriter(tx, new Sql(dialect)),
              config.publisher(),
              config,
              counters,
              listeners);
      String id = config.instanceId();
      processorThread =
          new NamedThreads("outbox-event-processor-" + id, config.threadFactory())
              .newThread(processor);
      workers.add(
          worker(
              "dead-letter-processor", config.deadLetterInterval(), maintenance::moveDeadLetters));
      workers.add(
          worker(
              "stuck-event-processor",
              config.stuckCheckInterval(),
              () -> {
                // Leases are judged by the database's time: measure it first.
                synchronizeClock.run();
                Objects.requireNonNull(maintenance).recoverStuckEvents();
              }));
      workers.add(worker("cleanup-processor", config.cleanupInterval(), maintenance::cleanUp));
      log.info("Starting outbox dispatcher on {} with {}", dialect.name(), config.asMap());
      processorThread.start();
      workers.forEach(PeriodicWorker::start);
      state = State.RUNNING;
    }
  }

  /**
   * Measures the database's time now, when the dispatcher runs on it (a failure fails the start),
   * and returns how to measure it again: a failure then keeps the last offset, and the recovery
   * that follows reports the database's state.
   */
  private Runnable synchronizeClock(Transactions tx, Dialect dialect) {
    if (!(config.clock() instanceof DatabaseClock clock)) {
      return () -> {};
    }
    clock.synchronize(tx, dialect, log);
    return () -> {
      try {
        clock.synchronize(tx, dialect, log);
      } catch (OutboxDatabaseException e) {
        log.debug("Could not read the database's time; keeping the last offset", e);
      }
    };
  }

  private PeriodicWorker worker(String name, Duration interval, Runnable task) {
    return new PeriodicWorker(
        name,
        interval,
        task,
        new NamedThreads("outbox-" + name + "-" + config.instanceId(), config.threadFactory()),
        log);
  }

  private Dialect prepareDatabase() {
    try (Connection connection = dataSource.getConnection()) {
      Dialect dialect = Dialects.dialect(config.dialect(), connection, config.tables());
      if (config.createSchema()) {
        SchemaInstaller.install(connection, dialect, config.tables());
        log.info("Outbox tables {} are ready", config.tables());
      } else {
        checkTablesExist(connection);
      }
      return dialect;
    } catch (SQLException e) {
      throw new OutboxDatabaseException("connect to the outbox database", e);
    }
  }

  /**
   * Tables or columns missing are a start failure with what to do, not a failure of every claim and
   * save.
   */
  private void checkTablesExist(Connection connection) {
    OutboxTables tables = config.tables();
    for (String table : List.of(tables.events(), tables.deadLetters())) {
      // Names of OutboxTables are checked identifiers, never text from a request.
      try (Statement statement = connection.createStatement()) {
        statement.executeQuery("SELECT 1 FROM " + table + " WHERE 1 = 0").close();
      } catch (SQLException e) {
        throw new MissingTablesException(tables, e);
      }
    }
    // Added by migration V2: tables made before it would fail only at the first claim or replay.
    try (Statement statement = connection.createStatement()) {
      statement.executeQuery("SELECT replayed_at FROM " + tables.events() + " WHERE 1 = 0").close();
    } catch (SQLException e) {
      throw new MissingTablesException(tables, "replayed_at", e);
    }
  }

  /** Claims now instead of waiting for the next poll, for example right after a commit. */
  public void wakeUp() {
    EventProcessor p = processor;
    if (p != null) {
      p.wakeUp();
    }
  }

  public DispatcherConfig config() {
    return config;
  }

  /** Lists, replays and purges dead letters; available once started. */
  public DeadLetters deadLetters() {
    synchronized (lock) {
      if (deadLetters == null) {
        throw new IllegalStateException("Dispatcher is not started");
      }
      return deadLetters;
    }
  }

  /** Reads the outbox tables: held aggregates, lease holders; available once started. */
  public OutboxInspector inspector() {
    synchronized (lock) {
      if (inspector == null) {
        throw new IllegalStateException("Dispatcher is not started");
      }
      return inspector;
    }
  }

  public boolean isRunning() {
    synchronized (lock) {
      return state == State.RUNNING;
    }
  }

  /** A fresh snapshot; reads the backlog from the database (a few indexed counts). */
  public DispatcherMetrics metrics() {
    MaintenanceStore current;
    boolean running;
    synchronized (lock) {
      current = store;
      running = state == State.RUNNING;
    }
    List<DispatcherMetrics.Worker> workerStates = workers();
    OutboxInspector.Backlog backlog =
        current != null ? current.backlog() : new OutboxInspector.Backlog(0, 0, 0, 0, 0, null);
    Instant oldest = backlog.oldestWaitingCreatedAt();
    return new DispatcherMetrics(
        running,
        List.copyOf(workerStates),
        config.asMap(),
        backlog.pending(),
        backlog.retry(),
        backlog.processing(),
        backlog.failed(),
        backlog.deadLetters(),
        oldest == null ? null : ageAt(oldest, config.clock().instant()),
        counters.published.sum(),
        counters.retried.sum(),
        counters.deadLettered.sum(),
        counters.failedAttempts.sum(),
        counters.recoveredStuck.sum());
  }

  /**
   * The workers' state now, without reading the database: what {@link #metrics()} shows of them,
   * still there while the database is not.
   */
  public List<DispatcherMetrics.Worker> workers() {
    List<DispatcherMetrics.Worker> workerStates = new ArrayList<>();
    synchronized (lock) {
      boolean running = state == State.RUNNING;
      Thread t = processorThread;
      EventProcessor p = processor;
      workerStates.add(
          worker(
              "event-processor",
              t != null && t.isAlive(),
              counters.claims.sum(),
              p != null ? p.state() : new WorkerState()));
      for (PeriodicWorker w : workers) {
        workerStates.add(worker(w.name(), running && w.isRunning(), w.runs(), w.state()));
      }
    }
    return List.copyOf(workerStates);
  }

  private static DispatcherMetrics.Worker worker(
      String name, boolean running, long runCount, WorkerState state) {
    WorkerState.Snapshot runs = state.snapshot();
    return new DispatcherMetrics.Worker(
        name, running, runCount, runs.lastRunAt(), runs.lastError(), runs.failingSince());
  }

  /**
   * Stops in order: the drain (what is due is published, for at most the drain timeout), claiming,
   * the batch in hand (published and recorded), the maintenance workers, the publisher. After the
   * drain, each step waits at most what is left of the shutdown timeout; so close can take the
   * drain timeout and the shutdown timeout together. Idempotent.
   */
  @Override
  public void close() {
    Thread thread;
    EventProcessor eventProcessor;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      boolean started = state == State.RUNNING;
      state = State.CLOSED;
      if (!started) {
        closePublisher();
        return;
      }
      thread = Objects.requireNonNull(processorThread);
      eventProcessor = Objects.requireNonNull(processor);
      Objects.requireNonNull(maintenance).stop();
    }
    log.info("Stopping outbox dispatcher {}", config.instanceId());
    boolean interrupted = false;
    @Nullable String cut;
    try {
      cut = drain(eventProcessor);
    } catch (InterruptedException e) {
      interrupted = true;
      cut = "the stop was interrupted";
    }
    // Once the processor stops, nothing new is claimed or sent.
    eventProcessor.stop();
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    try {
      thread.join(Math.max(1, remainingMillis(deadline)));
      if (thread.isAlive()) {
        log.warn(
            "Event processor still publishing after {}; its events are taken back after the"
                + " stuck timeout (or at once, where its claim's transaction held them)",
            config.shutdownTimeout());
        thread.interrupt();
        // The publisher closes only once nothing can send through it any more.
        thread.join(INTERRUPTED_PROCESSOR_GRACE.toMillis());
      }
    } catch (InterruptedException e) {
      interrupted = true;
      log.warn("Interrupted while stopping the outbox dispatcher");
    } finally {
      // Also when interrupted: a worker left running would go on against a closed pool.
      interrupted |= stopWorkers(deadline);
      closePublisher();
      if (cut != null) {
        reportLeftBehind(cut, deadline);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    log.info("Outbox dispatcher {} stopped", config.instanceId());
  }

  /**
   * Publishes what is due before the processor stops, so that events committed before the stop (by
   * requests a web server drained first, say) go out now, not at the next start. Returns why the
   * drain did not finish, or null when it did (or there is none).
   */
  private @Nullable String drain(EventProcessor eventProcessor) throws InterruptedException {
    Duration timeout = config.drainTimeout();
    if (timeout.isZero()) {
      return null;
    }
    try {
      EventProcessor.DrainEnd end =
          eventProcessor.drain().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (end == EventProcessor.DrainEnd.NOTHING_DUE) {
        log.debug("Published what was due before stopping");
        return null;
      }
      return end.toString();
    } catch (TimeoutException e) {
      return "the drain timeout (" + timeout + ") ran out";
    } catch (ExecutionException e) {
      return "the drain failed";
    }
  }

  /** Stops the periodic workers; returns whether the wait was interrupted. */
  private boolean stopWorkers(long deadline) {
    boolean interrupted = false;
    for (PeriodicWorker worker : workers) {
      try {
        Duration wait = Duration.ofMillis(interrupted ? 1 : Math.max(1, remainingMillis(deadline)));
        if (!worker.stop(wait)) {
          log.warn("Outbox {} did not stop in time", worker.name());
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return interrupted;
  }

  /**
   * Says what the stop left for the next start. The count is read within what is left of the
   * shutdown timeout: a database that stalls cannot hold up the close.
   */
  private void reportLeftBehind(String cut, long deadline) {
    MaintenanceStore current = Objects.requireNonNull(store);
    CompletableFuture<OutboxInspector.Backlog> count =
        CompletableFuture.supplyAsync(current::backlog);
    try {
      OutboxInspector.Backlog backlog =
          count.get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
      log.warn(
          "Stopping before everything due was published: {}. {} event(s) pending and {} to retry"
              + " are published after the next start",
          cut,
          backlog.pending(),
          backlog.retry());
    } catch (ExecutionException | TimeoutException e) {
      count.cancel(true);
      log.warn(
          "Stopping before everything due was published: {}. What is left is published after the"
              + " next start",
          cut);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closePublisher() {
    try {
      config.publisher().close();
    } catch (RuntimeException e) {
      log.warn("Closing the publisher failed", e);
    }
  }

  private static long remainingMillis(long deadline) {
    return (deadline - System.nanoTime()) / 1_000_000;
  }

  /**
   * Never negative: the database's time, carried forward by this JVM's monotonic clock since it was
   * last read, may lag a stamp the database just wrote by a few microseconds.
   */
  private static Duration ageAt(Instant createdAt, Instant now) {
    Duration age = Duration.between(createdAt, now);
    return age.isNegative() ? Duration.ZERO : age;
  }
}
