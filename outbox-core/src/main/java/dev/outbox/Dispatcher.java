package dev.outbox;

import dev.outbox.internal.Counters;
import dev.outbox.internal.DatabaseClock;
import dev.outbox.internal.DeadLetterStore;
import dev.outbox.internal.Dialects;
import dev.outbox.internal.DispatcherRun;
import dev.outbox.internal.EventClaimer;
import dev.outbox.internal.Listeners;
import dev.outbox.internal.MaintenanceStore;
import dev.outbox.internal.NamedThreads;
import dev.outbox.internal.OutcomeWriter;
import dev.outbox.internal.SchemaInstaller;
import dev.outbox.internal.Sql;
import dev.outbox.internal.Transactions;
import dev.outbox.spi.BrokerAvailability;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.DispatcherListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
 * <p>{@link #close()} publishes what is due (bounded by the drain timeout), stops claiming, lets
 * the batch in hand be published and recorded (bounded by the shutdown timeout), stops the workers
 * and closes the publisher. Whatever it could not finish stays in the table under a lease and is
 * taken back after the stuck timeout, so nothing is lost. {@link #stop()} does the same but for the
 * publisher, and the dispatcher may start again.
 */
public final class Dispatcher implements AutoCloseable {

  /** How long the check at start waits for the broker: a first connection may take a while. */
  private static final Duration BROKER_CHECK_TIMEOUT = Duration.ofSeconds(3);

  private enum State {
    NEW,
    RUNNING,
    STOPPED,
    CLOSED
  }

  private final DataSource dataSource;
  private final DispatcherConfig config;
  private final Logger log;
  private final Counters counters = new Counters();
  private final Listeners listeners;
  private final Object lock = new Object();
  private State state = State.NEW;
  private @Nullable Prepared prepared;
  private @Nullable MaintenanceStore store;
  private @Nullable DeadLetters deadLetters;
  private @Nullable OutboxInspector inspector;
  private @Nullable DispatcherRun run;

  /** What a first start learns of the database, and what runs after it share. */
  private record Prepared(Transactions tx, Dialect dialect, Runnable synchronizeClock) {}

  Dispatcher(DataSource dataSource, DispatcherConfig config) {
    this.dataSource = dataSource;
    this.config = config;
    this.log = config.logger();
    this.listeners = new Listeners(config.listeners(), log);
  }

  /**
   * Starts configuring a dispatcher that reads the outbox through {@code dataSource}; a publisher
   * must be set before {@link DispatcherBuilder#build()}.
   *
   * @param dataSource where the outbox tables are; a pool, as the dispatcher holds several
   *     connections at once
   * @return the builder
   */
  public static DispatcherBuilder builder(DataSource dataSource) {
    return new DispatcherBuilder(dataSource);
  }

  /**
   * Adds a listener told of every claim, publish and failure from now on, for metrics made after
   * the dispatcher (as {@code OutboxMetrics} of {@code outbox-micrometer} is); see {@link
   * DispatcherListener}.
   *
   * @param listener the listener; called on the dispatcher's threads, so it must be thread-safe
   */
  public void addListener(DispatcherListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Detects the database (unless configured), creates the tables when asked, and starts the
   * workers. A stuck-event check runs at once, taking back what a crashed run left behind. A
   * dispatcher {@link #stop() stopped} may start again; a closed one may not.
   */
  public void start() {
    synchronized (lock) {
      if (state == State.RUNNING || state == State.CLOSED) {
        throw new IllegalStateException("Dispatcher cannot start: it is " + state);
      }
      Prepared database = prepared;
      if (database == null) {
        database = prepare();
        prepared = database;
      }
      Transactions tx = database.tx();
      Dialect dialect = database.dialect();
      EventClaimer claimer =
          new EventClaimer(
              tx,
              dialect,
              config.deadLetterPolicy() == DeadLetterPolicy.HOLD_AGGREGATE,
              config.logger());
      DispatcherRun next =
          new DispatcherRun(
              claimer,
              new OutcomeWriter(tx, new Sql(dialect)),
              Objects.requireNonNull(store),
              database.synchronizeClock(),
              config,
              counters,
              listeners);
      log.info("Starting outbox dispatcher on {} with {}", dialect.name(), config.asMap());
      next.start();
      run = next;
      state = State.RUNNING;
    }
    checkBrokerSoon();
  }

  /**
   * Asks the publisher once, off the caller's thread, whether its broker answers: a wrong address
   * would otherwise start without a word and show only when the first event fails to go out.
   */
  private void checkBrokerSoon() {
    Thread check =
        new NamedThreads("outbox-broker-check-" + config.instanceId(), config.threadFactory())
            .newThread(
                () -> {
                  BrokerAvailability answer;
                  try {
                    answer = config.publisher().checkAvailability(BROKER_CHECK_TIMEOUT);
                  } catch (RuntimeException e) {
                    log.debug("The publisher could not tell whether its broker answers", e);
                    return;
                  }
                  if (answer == BrokerAvailability.UNAVAILABLE) {
                    log.warn(
                        "Outbox dispatcher {} started, but its broker does not answer (asked for"
                            + " {}): saved events wait until it does. Check the publisher's"
                            + " address and credentials",
                        config.instanceId(),
                        BROKER_CHECK_TIMEOUT);
                  } else {
                    log.debug(
                        "The broker of outbox dispatcher {}: {}", config.instanceId(), answer);
                  }
                });
    check.setDaemon(true);
    check.start();
  }

  private Prepared prepare() {
    Dialect dialect = prepareDatabase();
    Transactions tx = new Transactions(dataSource);
    Runnable synchronizeClock = synchronizeClock(tx, dialect);
    MaintenanceStore maintenanceStore = new MaintenanceStore(tx, dialect);
    store = maintenanceStore;
    deadLetters = new DeadLetters(new DeadLetterStore(tx, dialect, config.clock()));
    inspector = new OutboxInspector(maintenanceStore);
    return new Prepared(tx, dialect, synchronizeClock);
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
    DispatcherRun current = run;
    if (current != null) {
      current.wakeUp();
    }
  }

  /** {@return the configuration it was built with} */
  public DispatcherConfig config() {
    return config;
  }

  /**
   * Lists, replays and purges dead letters; available once started, also when stopped.
   *
   * @return the dead letters of this dispatcher's tables
   * @throws IllegalStateException if the dispatcher was never started
   */
  public DeadLetters deadLetters() {
    synchronized (lock) {
      if (deadLetters == null) {
        throw new IllegalStateException("Dispatcher is not started");
      }
      return deadLetters;
    }
  }

  /**
   * Reads the outbox tables: held aggregates, lease holders; available once started.
   *
   * @return the inspector of this dispatcher's tables
   * @throws IllegalStateException if the dispatcher was never started
   */
  public OutboxInspector inspector() {
    synchronized (lock) {
      if (inspector == null) {
        throw new IllegalStateException("Dispatcher is not started");
      }
      return inspector;
    }
  }

  /** {@return whether it is started and not yet stopped or closed} */
  public boolean isRunning() {
    synchronized (lock) {
      return state == State.RUNNING;
    }
  }

  /** {@return a fresh snapshot; reads the backlog from the database (a few indexed counts)} */
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
    return DispatcherMetrics.builder()
        .running(running)
        .workers(workerStates)
        .config(config.asMap())
        .backlog(backlog.pending(), backlog.retry(), backlog.processing(), backlog.failed())
        .deadLetters(backlog.deadLetters())
        .oldestWaitingAge(oldest == null ? null : ageAt(oldest, config.clock().instant()))
        .published(counters.published.sum())
        .retried(counters.retried.sum())
        .deadLettered(counters.deadLettered.sum())
        .failedAttempts(counters.failedAttempts.sum())
        .recoveredStuck(counters.recoveredStuck.sum())
        .build();
  }

  /**
   * The workers' state now, without reading the database: what {@link #metrics()} shows of them,
   * still there while the database is not.
   *
   * @return one state per worker; before the start, the event processor alone, not running
   */
  public List<DispatcherMetrics.Worker> workers() {
    DispatcherRun current;
    synchronized (lock) {
      current = run;
    }
    if (current == null) {
      return List.of(DispatcherMetrics.Worker.of("event-processor", false));
    }
    return List.copyOf(current.workers(counters.claims.sum()));
  }

  /**
   * Stops the workers and keeps the publisher and the tables' readers: {@link #start()} runs them
   * again. Stops in order: the drain (what is due is published, for at most the drain timeout),
   * claiming, the batch in hand (published and recorded), the maintenance workers. After the drain,
   * each step waits at most what is left of the shutdown timeout; so a stop can take the drain
   * timeout and the shutdown timeout together. Whatever it could not finish stays in the table
   * under a lease and is taken back after the stuck timeout, so nothing is lost. Does nothing
   * unless running.
   */
  public void stop() {
    DispatcherRun current;
    synchronized (lock) {
      if (state != State.RUNNING) {
        return;
      }
      state = State.STOPPED;
      current = Objects.requireNonNull(run);
    }
    log.info("Stopping outbox dispatcher {}", config.instanceId());
    if (current.stop()) {
      Thread.currentThread().interrupt();
    }
    log.info("Outbox dispatcher {} stopped", config.instanceId());
  }

  /** {@link #stop() Stops}, then closes the publisher, for good. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
    }
    stop();
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    closePublisher();
  }

  private void closePublisher() {
    try {
      config.publisher().close();
    } catch (RuntimeException e) {
      log.warn("Closing the publisher failed", e);
    }
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
