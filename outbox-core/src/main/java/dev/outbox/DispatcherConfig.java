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

  /** The listeners given to the builder, in the order added. */
  public List<DispatcherListener> listeners() {
    return listeners;
  }

  public OutboxTables tables() {
    return tables;
  }

  /** The dialect chosen explicitly, or {@code null} when it is detected at start. */
  public @Nullable DialectProvider dialect() {
    return dialect;
  }

  public Publisher publisher() {
    return publisher;
  }

  public int batchSize() {
    return batchSize;
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Backoff backoff() {
    return backoff;
  }

  public DeadLetterPolicy deadLetterPolicy() {
    return deadLetterPolicy;
  }

  public Duration deadLetterInterval() {
    return deadLetterInterval;
  }

  /** How long a claim's lease lasts; an event still processing after it is stuck. */
  public Duration stuckTimeout() {
    return stuckTimeout;
  }

  public Duration stuckCheckInterval() {
    return stuckCheckInterval;
  }

  public Duration deadLetterRetention() {
    return deadLetterRetention;
  }

  public Duration sentRetention() {
    return sentRetention;
  }

  public Duration cleanupInterval() {
    return cleanupInterval;
  }

  public int cleanupBatchSize() {
    return cleanupBatchSize;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** How long a close first publishes what is due; zero for none. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  public boolean createSchema() {
    return createSchema;
  }

  /** Identifies this dispatcher as the owner of its leases. */
  public String instanceId() {
    return instanceId;
  }

  public Logger logger() {
    return logger;
  }

  /**
   * The time due times, leases and retention are compared against: the database's, read from the
   * configured clock, unless {@link #databaseTime()} is off.
   */
  public Clock clock() {
    return clock;
  }

  /** Whether {@link #clock()} is the database's time (measured against the configured clock). */
  public boolean databaseTime() {
    return databaseTime;
  }

  public @Nullable ThreadFactory threadFactory() {
    return threadFactory;
  }

  /** The options as name/value pairs, for logs and metrics. */
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
