package dev.outbox;

import dev.outbox.spi.DialectProvider;
import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.Publisher;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures a {@link Dispatcher}. Every setter checks its value at once and names the option in
 * its error; {@link #build()} has no side effects (nothing connects or starts until {@link
 * Dispatcher#start()}).
 */
public final class DispatcherBuilder {

  /** Default of {@link #batchSize(int)}. */
  public static final int DEFAULT_BATCH_SIZE = 10;

  /** Default of {@link #pollInterval(Duration)}. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  /** Default of {@link #maxAttempts(int)}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** First delay of the default exponential {@link #backoff(Backoff)}. */
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMinutes(1);

  /** Longest delay of the default exponential {@link #backoff(Backoff)}. */
  public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofMinutes(30);

  /** Default of {@link #deadLetterInterval(Duration)}. */
  public static final Duration DEFAULT_DEAD_LETTER_INTERVAL = Duration.ofMinutes(5);

  /** Default of {@link #stuckTimeout(Duration)}. */
  public static final Duration DEFAULT_STUCK_TIMEOUT = Duration.ofMinutes(10);

  /** Default of {@link #stuckCheckInterval(Duration)}. */
  public static final Duration DEFAULT_STUCK_CHECK_INTERVAL = Duration.ofMinutes(2);

  /** Default of {@link #deadLetterRetention(Duration)}. */
  public static final Duration DEFAULT_DEAD_LETTER_RETENTION = Duration.ofDays(7);

  /** Default of {@link #sentRetention(Duration)}. */
  public static final Duration DEFAULT_SENT_RETENTION = Duration.ofDays(1);

  /** Default of {@link #cleanupInterval(Duration)}. */
  public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofHours(1);

  /** Default of {@link #cleanupBatchSize(int)}. */
  public static final int DEFAULT_CLEANUP_BATCH_SIZE = 1000;

  /** Default of {@link #shutdownTimeout(Duration)}. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  /** Default of {@link #drainTimeout(Duration)}. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Largest {@link #batchSize(int)} accepted: a claim holds this many rows locked and publishes as
   * many at once.
   */
  public static final int MAX_BATCH_SIZE = 10_000;

  private final DataSource dataSource;
  OutboxTables tables = OutboxTables.defaults();
  @Nullable DialectProvider dialect;
  @Nullable Publisher publisher;
  int batchSize = DEFAULT_BATCH_SIZE;
  Duration pollInterval = DEFAULT_POLL_INTERVAL;
  int maxAttempts = DEFAULT_MAX_ATTEMPTS;
  Backoff backoff = Backoff.exponential(DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP);
  DeadLetterPolicy deadLetterPolicy = DeadLetterPolicy.HOLD_AGGREGATE;
  Duration deadLetterInterval = DEFAULT_DEAD_LETTER_INTERVAL;
  Duration stuckTimeout = DEFAULT_STUCK_TIMEOUT;
  Duration stuckCheckInterval = DEFAULT_STUCK_CHECK_INTERVAL;
  Duration deadLetterRetention = DEFAULT_DEAD_LETTER_RETENTION;
  Duration sentRetention = DEFAULT_SENT_RETENTION;
  Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;
  int cleanupBatchSize = DEFAULT_CLEANUP_BATCH_SIZE;
  Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
  Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
  boolean createSchema;
  @Nullable String instanceId;
  @Nullable Logger logger;
  Clock clock = Clock.systemUTC();
  boolean clockSet;
  @Nullable Boolean databaseTime;
  @Nullable ThreadFactory threadFactory;
  final List<DispatcherListener> listeners = new ArrayList<>();

  DispatcherBuilder(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * Required: where events go, for example {@code KafkaPublisher} from outbox-kafka.
   *
   * @param publisher the publisher; the dispatcher closes it when it closes
   * @return this builder
   */
  public DispatcherBuilder publisher(Publisher publisher) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    return this;
  }

  /**
   * Table names; default {@code outbox_events} and {@code outbox_deadletters}.
   *
   * @param tables the table names
   * @return this builder
   */
  public DispatcherBuilder tables(OutboxTables tables) {
    this.tables = Objects.requireNonNull(tables, "tables");
    return this;
  }

  /**
   * The database's dialect, such as {@link DatabaseType#POSTGRESQL}; detected from a connection at
   * start when not set (see {@link DialectProvider}).
   *
   * @param dialect the dialect
   * @return this builder
   */
  public DispatcherBuilder dialect(DialectProvider dialect) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    return this;
  }

  /**
   * Most events claimed and published at once; default {@value #DEFAULT_BATCH_SIZE}.
   *
   * @param batchSize 1 to {@value #MAX_BATCH_SIZE}
   * @return this builder
   */
  public DispatcherBuilder batchSize(int batchSize) {
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  /**
   * The longest wait between claims that find no work; default 2 s. After work, the next claims
   * come sooner: 5 ms (or this interval, if shorter) after the first empty claim, doubling up to
   * this interval.
   *
   * @param pollInterval more than zero
   * @return this builder
   */
  public DispatcherBuilder pollInterval(Duration pollInterval) {
    this.pollInterval = positive("pollInterval", pollInterval);
    return this;
  }

  /**
   * Publish attempts before an event becomes a dead letter; default 3.
   *
   * @param maxAttempts 1 or more
   * @return this builder
   */
  public DispatcherBuilder maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    return this;
  }

  /**
   * Delay before a retry; default exponential, base 1 min, cap 30 min.
   *
   * @param backoff the backoff
   * @return this builder
   */
  public DispatcherBuilder backoff(Backoff backoff) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    return this;
  }

  /**
   * Whether a dead letter holds back its aggregate; default {@code HOLD_AGGREGATE}.
   *
   * @param deadLetterPolicy the policy
   * @return this builder
   */
  public DispatcherBuilder deadLetterPolicy(DeadLetterPolicy deadLetterPolicy) {
    this.deadLetterPolicy = Objects.requireNonNull(deadLetterPolicy, "deadLetterPolicy");
    return this;
  }

  /**
   * How often failed events are moved to the dead-letter table; default 5 min.
   *
   * @param deadLetterInterval more than zero
   * @return this builder
   */
  public DispatcherBuilder deadLetterInterval(Duration deadLetterInterval) {
    this.deadLetterInterval = positive("deadLetterInterval", deadLetterInterval);
    return this;
  }

  /**
   * Lease of a claim; an event processing longer is stuck and retried; default 10 min. Must be at
   * least twice the publisher's {@linkplain Publisher#publishTimeLimit() longest publish}, checked
   * by {@link #build()}.
   *
   * @param stuckTimeout more than zero
   * @return this builder
   */
  public DispatcherBuilder stuckTimeout(Duration stuckTimeout) {
    this.stuckTimeout = positive("stuckTimeout", stuckTimeout);
    return this;
  }

  /**
   * How often expired leases are looked for; default 2 min.
   *
   * @param stuckCheckInterval more than zero, at most the stuck timeout
   * @return this builder
   */
  public DispatcherBuilder stuckCheckInterval(Duration stuckCheckInterval) {
    this.stuckCheckInterval = positive("stuckCheckInterval", stuckCheckInterval);
    return this;
  }

  /**
   * How long dead letters are kept, from the time of dead-lettering; default 7 days.
   *
   * @param deadLetterRetention more than zero
   * @return this builder
   */
  public DispatcherBuilder deadLetterRetention(Duration deadLetterRetention) {
    this.deadLetterRetention = positive("deadLetterRetention", deadLetterRetention);
    return this;
  }

  /**
   * How long sent events are kept, from the time of sending; default 1 day.
   *
   * @param sentRetention more than zero
   * @return this builder
   */
  public DispatcherBuilder sentRetention(Duration sentRetention) {
    this.sentRetention = positive("sentRetention", sentRetention);
    return this;
  }

  /**
   * How often cleanup runs; default 1 h.
   *
   * @param cleanupInterval more than zero
   * @return this builder
   */
  public DispatcherBuilder cleanupInterval(Duration cleanupInterval) {
    this.cleanupInterval = positive("cleanupInterval", cleanupInterval);
    return this;
  }

  /**
   * Rows deleted per cleanup statement; cleanup repeats until nothing is left; default 1000.
   *
   * @param cleanupBatchSize 1 or more
   * @return this builder
   */
  public DispatcherBuilder cleanupBatchSize(int cleanupBatchSize) {
    if (cleanupBatchSize < 1) {
      throw new IllegalArgumentException("cleanupBatchSize must be >= 1, was " + cleanupBatchSize);
    }
    this.cleanupBatchSize = cleanupBatchSize;
    return this;
  }

  /**
   * Bound on how long {@link Dispatcher#close()} waits for in-flight work; default 30 s.
   *
   * @param shutdownTimeout more than zero
   * @return this builder
   */
  public DispatcherBuilder shutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = positive("shutdownTimeout", shutdownTimeout);
    return this;
  }

  /**
   * How long {@link Dispatcher#close()} first goes on publishing what is due, so that events
   * committed before the stop go out with it rather than at the next start; default 10 s, zero to
   * stop at once. The drain ends early once a claim finds nothing due, or when the broker is
   * unavailable; what it leaves is logged. The stop that follows has {@link
   * #shutdownTimeout(Duration)} of its own.
   *
   * @param drainTimeout zero or more
   * @return this builder
   */
  public DispatcherBuilder drainTimeout(Duration drainTimeout) {
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drainTimeout must be >= 0, was " + drainTimeout);
    }
    this.drainTimeout = drainTimeout;
    return this;
  }

  /**
   * Create the tables (if missing) at start; default false.
   *
   * @param createSchema whether to create missing tables
   * @return this builder
   */
  public DispatcherBuilder createSchema(boolean createSchema) {
    this.createSchema = createSchema;
    return this;
  }

  /**
   * Lease owner name; default host name, process id and a random suffix.
   *
   * @param instanceId 1 to 40 characters, not blank
   * @return this builder
   */
  public DispatcherBuilder instanceId(String instanceId) {
    Objects.requireNonNull(instanceId, "instanceId");
    if (instanceId.isBlank() || instanceId.length() > 40) {
      throw new IllegalArgumentException(
          "instanceId must be 1 to 40 characters, was '" + instanceId + "'");
    }
    this.instanceId = instanceId;
    return this;
  }

  /**
   * Logger for the dispatcher's own messages; default {@code dev.outbox.Dispatcher}.
   *
   * @param logger the logger
   * @return this builder
   */
  public DispatcherBuilder logger(Logger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
    return this;
  }

  /**
   * A clock to compare due times, leases and retention against instead of the database's time: for
   * tests that move a clock by hand (every dispatcher and writer on the table then shares it).
   * Default: the database's time (see {@link #databaseTime(boolean)}).
   *
   * @param clock the clock
   * @return this builder
   */
  public DispatcherBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.clockSet = true;
    return this;
  }

  /**
   * Whether due times, leases, stuck detection, retention and ages are compared against the
   * database's time, so that dispatchers and writers whose hosts' clocks disagree still agree: on
   * by default, off once a {@link #clock(Clock) clock} is set (which is then used as it is). On
   * with a clock set, the clock only stands for this host's before the first reading.
   *
   * @param databaseTime whether to compare against the database's time
   * @return this builder
   */
  public DispatcherBuilder databaseTime(boolean databaseTime) {
    this.databaseTime = databaseTime;
    return this;
  }

  /**
   * Adds a listener told of every claim, publish and failure, for metrics; see {@link
   * DispatcherListener}. May be called more than once; listeners are told in the order added.
   *
   * @param listener the listener; called on the dispatcher's threads, so it must be thread-safe
   * @return this builder
   */
  public DispatcherBuilder listener(DispatcherListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Creates the workers' threads; default named platform threads.
   *
   * @param threadFactory makes the workers' threads
   * @return this builder
   */
  public DispatcherBuilder threadFactory(ThreadFactory threadFactory) {
    this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
    return this;
  }

  /**
   * {@return the dispatcher, not yet started: nothing connects until {@link Dispatcher#start()}}
   *
   * @throws IllegalStateException if no publisher was set
   * @throws IllegalArgumentException if options contradict each other, such as a stuck check
   *     interval longer than the stuck timeout, naming them
   */
  public Dispatcher build() {
    if (publisher == null) {
      throw new IllegalStateException(
          "publisher is required: pass a KafkaPublisher (outbox-kafka) or your own Publisher");
    }
    if (stuckCheckInterval.compareTo(stuckTimeout) > 0) {
      throw new IllegalArgumentException(
          "stuckCheckInterval ("
              + stuckCheckInterval
              + ") must not exceed stuckTimeout ("
              + stuckTimeout
              + ")");
    }
    checkLeaseOutlastsPublishes(publisher);
    DispatcherConfig config =
        new DispatcherConfig(
            this,
            instanceId != null ? instanceId : defaultInstanceId(),
            logger != null ? logger : LoggerFactory.getLogger(Dispatcher.class));
    return new Dispatcher(dataSource, config);
  }

  /**
   * The rounds of a batch wait for acknowledgements up to three quarters of the lease and start
   * only while a publish fits before then: at twice the longest publish, rounds may start during
   * the first quarter of the lease. A publish the broker's client may still be retrying when its
   * lease expires would be published again.
   */
  private void checkLeaseOutlastsPublishes(Publisher publisher) {
    publisher
        .publishTimeLimit()
        .filter(bound -> stuckTimeout.compareTo(bound.limit().multipliedBy(2)) < 0)
        .ifPresent(
            bound -> {
              throw new IllegalArgumentException(
                  "stuckTimeout ("
                      + stuckTimeout
                      + ") must be at least twice the publisher's longest publish ("
                      + bound.limit()
                      + " from "
                      + bound.settings()
                      + "): raise stuckTimeout or lower those settings");
            });
  }

  private static String defaultInstanceId() {
    String host = ManagementFactory.getRuntimeMXBean().getName();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String id = host.length() > 31 ? host.substring(0, 31) : host;
    return id + "-" + suffix;
  }

  private static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
    return value;
  }
}
