package dev.outbox;

import dev.outbox.internal.DatabaseClock;
import dev.outbox.spi.DialectProvider;
import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.Publisher;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The effective, immutable configuration of a {@link Dispatcher}, as frozen by {@link
 * DispatcherBuilder#build()}. Every option and its default is listed on {@link DispatcherBuilder}.
 */
public final class DispatcherConfig {

  private final OutboxTables tables;
  private final @Nullable DialectProvider dialect;
  private final Publisher publisher;
  private final int batchSize;
  private final Duration pollInterval;
  private final int maxAttempts;
  private final Backoff backoff;
  private final DeadLetterPolicy deadLetterPolicy;
  private final Duration deadLetterInterval;
  private final Duration stuckTimeout;
  private final Duration stuckCheckInterval;
  private final Duration deadLetterRetention;
  private final Duration sentRetention;
  private final Duration cleanupInterval;
  private final int cleanupBatchSize;
  private final Duration shutdownTimeout;
  private final Duration drainTimeout;
  private final boolean createSchema;
  private final String instanceId;
  private final Logger logger;
  private final Clock clock;
  private final boolean databaseTime;
  private final @Nullable ThreadFactory threadFactory;
  private final List<DispatcherListener> listeners;

  DispatcherConfig(DispatcherBuilder b, String instanceId, Logger logger) {
    this.tables = b.tables;
    this.dialect = b.dialect;
    this.publisher = Objects.requireNonNull(b.publisher, "publisher");
    this.batchSize = b.batchSize;
    this.pollInterval = b.pollInterval;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.deadLetterPolicy = b.deadLetterPolicy;
    this.deadLetterInterval = b.deadLetterInterval;
    this.stuckTimeout = b.stuckTimeout;
    this.stuckCheckInterval = b.stuckCheckInterval;
    this.deadLetterRetention = b.deadLetterRetention;
    this.sentRetention = b.sentRetention;
    this.cleanupInterval = b.cleanupInterval;
    this.cleanupBatchSize = b.cleanupBatchSize;
    this.shutdownTimeout = b.shutdownTimeout;
    this.drainTimeout = b.drainTimeout;
    this.createSchema = b.createSchema;
    this.instanceId = instanceId;
    this.logger = logger;
    this.databaseTime = b.databaseTime != null ? b.databaseTime : !b.clockSet;
    this.clock = databaseTime ? new DatabaseClock(b.clock) : b.clock;
    this.threadFactory = b.threadFactory;
    this.listeners = List.copyOf(b.listeners);
  }

  /** {@return the listeners given to the builder, in the order added} */
  public List<DispatcherListener> listeners() {
    return listeners;
  }

  /** {@return the outbox's table names} */
  public OutboxTables tables() {
    return tables;
  }

  /** {@return the dialect chosen explicitly, or {@code null} when it is detected at start} */
  public @Nullable DialectProvider dialect() {
    return dialect;
  }

  /** {@return where events go} */
  public Publisher publisher() {
    return publisher;
  }

  /** {@return the most events claimed and published at once} */
  public int batchSize() {
    return batchSize;
  }

  /** {@return the longest wait between claims that find no work} */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** {@return the publish attempts before an event becomes a dead letter, 1 or more} */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** {@return the delay before each retry} */
  public Backoff backoff() {
    return backoff;
  }

  /** {@return whether a dead letter holds back its aggregate's later events} */
  public DeadLetterPolicy deadLetterPolicy() {
    return deadLetterPolicy;
  }

  /** {@return how often failed events are moved to the dead-letters table} */
  public Duration deadLetterInterval() {
    return deadLetterInterval;
  }

  /** {@return how long a claim's lease lasts; an event still processing after it is stuck} */
  public Duration stuckTimeout() {
    return stuckTimeout;
  }

  /** {@return how often expired leases are looked for} */
  public Duration stuckCheckInterval() {
    return stuckCheckInterval;
  }

  /** {@return how long dead letters are kept, from their dead-lettering} */
  public Duration deadLetterRetention() {
    return deadLetterRetention;
  }

  /** {@return how long sent events are kept, from their sending} */
  public Duration sentRetention() {
    return sentRetention;
  }

  /** {@return how often sent events and dead letters past their retention are deleted} */
  public Duration cleanupInterval() {
    return cleanupInterval;
  }

  /** {@return the most rows one cleanup statement deletes} */
  public int cleanupBatchSize() {
    return cleanupBatchSize;
  }

  /** {@return the bound on how long a close waits for in-flight work} */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** {@return how long a close first publishes what is due; zero for none} */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /** {@return whether missing tables are created at start} */
  public boolean createSchema() {
    return createSchema;
  }

  /** {@return the name this dispatcher's leases carry as their owner, 1 to 40 characters} */
  public String instanceId() {
    return instanceId;
  }

  /** {@return the logger of the dispatcher's own messages} */
  public Logger logger() {
    return logger;
  }

  /**
   * The time due times, leases and retention are compared against: the database's, read from the
   * configured clock, unless {@link #databaseTime()} is off.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * {@return whether {@link #clock()} is the database's time (measured against the configured
   * clock)}
   */
  public boolean databaseTime() {
    return databaseTime;
  }

  /** {@return the factory of the workers' threads, or {@code null} for named platform threads} */
  public @Nullable ThreadFactory threadFactory() {
    return threadFactory;
  }

  /** {@return the options as name/value pairs, for logs and metrics} */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("instanceId", instanceId);
    map.put("tables", tables.toString());
    map.put("dialect", dialect == null ? "detect" : dialect.toString());
    map.put("publisher", publisher.getClass().getSimpleName());
    map.put("batchSize", String.valueOf(batchSize));
    map.put("pollInterval", pollInterval.toString());
    map.put("maxAttempts", String.valueOf(maxAttempts));
    map.put("backoff", backoff.toString());
    map.put("deadLetterPolicy", deadLetterPolicy.name());
    map.put("deadLetterInterval", deadLetterInterval.toString());
    map.put("stuckTimeout", stuckTimeout.toString());
    map.put("stuckCheckInterval", stuckCheckInterval.toString());
    map.put("deadLetterRetention", deadLetterRetention.toString());
    map.put("sentRetention", sentRetention.toString());
    map.put("cleanupInterval", cleanupInterval.toString());
    map.put("cleanupBatchSize", String.valueOf(cleanupBatchSize));
    map.put("shutdownTimeout", shutdownTimeout.toString());
    map.put("drainTimeout", drainTimeout.toString());
    map.put("createSchema", String.valueOf(createSchema));
    map.put("databaseTime", String.valueOf(databaseTime));
    return map;
  }

  @Override
  public String toString() {
    return "DispatcherConfig" + asMap();
  }
}
