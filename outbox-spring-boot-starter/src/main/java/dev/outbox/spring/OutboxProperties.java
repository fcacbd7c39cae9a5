package dev.outbox.spring;

import dev.outbox.Backoff;
import dev.outbox.DeadLetterPolicy;
import dev.outbox.DispatcherBuilder;
import dev.outbox.OutboxTables;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code outbox.*} properties: every option of the dispatcher's builder, with its defaults. The
 * builder checks them, with the messages it gives in code.
 */
@ConfigurationProperties("outbox")
public class OutboxProperties {

  /** Whether to run a dispatcher in this application; the Outbox bean is there either way. */
  private boolean enabled = true;

  /** Events claimed per batch, 1 to 10,000. */
  private int batchSize = DispatcherBuilder.DEFAULT_BATCH_SIZE;

  /** How long an idle dispatcher waits between claims that find nothing, at most. */
  private Duration pollInterval = DispatcherBuilder.DEFAULT_POLL_INTERVAL;

  /** Publish attempts before an event becomes a dead letter. */
  private int maxAttempts = DispatcherBuilder.DEFAULT_MAX_ATTEMPTS;

  /** First retry delay; doubles per attempt up to backoff-cap. */
  private Duration backoffBase = DispatcherBuilder.DEFAULT_BACKOFF_BASE;

  /** Longest retry delay. */
  private Duration backoffCap = DispatcherBuilder.DEFAULT_BACKOFF_CAP;

  /**
   * What happens to an aggregate's later events once one of its events is a dead letter:
   * hold-aggregate, they wait until it is replayed or purged (or deleted by dead-letter-retention),
   * so consumers never see a gap in its history; continue, they are published and the dead letter
   * is a gap.
   */
  private DeadLetterPolicy deadLetterPolicy = DeadLetterPolicy.HOLD_AGGREGATE;

  /**
   * How often events that have used up max-attempts, or failed with a permanent error, are moved to
   * the dead-letter table.
   */
  private Duration deadLetterInterval = DispatcherBuilder.DEFAULT_DEAD_LETTER_INTERVAL;

  /**
   * Lease of a claim; an event still processing after it is stuck and taken back. At least twice
   * the publisher's longest publish (Kafka: max.block.ms + delivery.timeout.ms).
   */
  private Duration stuckTimeout = DispatcherBuilder.DEFAULT_STUCK_TIMEOUT;

  /** How often expired leases are looked for. */
  private Duration stuckCheckInterval = DispatcherBuilder.DEFAULT_STUCK_CHECK_INTERVAL;

  /** How long dead letters are kept. */
  private Duration deadLetterRetention = DispatcherBuilder.DEFAULT_DEAD_LETTER_RETENTION;

  /** How long sent events are kept. */
  private Duration sentRetention = DispatcherBuilder.DEFAULT_SENT_RETENTION;

  /** How often sent events and dead letters older than their retention are deleted. */
  private Duration cleanupInterval = DispatcherBuilder.DEFAULT_CLEANUP_INTERVAL;

  /** Rows deleted per cleanup statement. */
  private int cleanupBatchSize = DispatcherBuilder.DEFAULT_CLEANUP_BATCH_SIZE;

  /** How long stopping waits for the batch in hand to be published and recorded. */
  private Duration shutdownTimeout = DispatcherBuilder.DEFAULT_SHUTDOWN_TIMEOUT;

  /**
   * How long stopping first goes on publishing what is due, so that events committed before the
   * stop go out with it; 0 to stop at once.
   */
  private Duration drainTimeout = DispatcherBuilder.DEFAULT_DRAIN_TIMEOUT;

  /** Whether the dispatcher creates the outbox tables when they are missing. */
  private boolean createSchema;

  /** This dispatcher's name in leases and logs; by default host, pid and a random suffix. */
  private @Nullable String instanceId;

  /**
   * The outbox table's name: a plain SQL identifier, optionally schema.table, at most 42 characters
   * without the schema.
   */
  private String eventsTable = OutboxTables.DEFAULT_EVENTS_TABLE;

  /**
   * The dead-letter table's name: a plain SQL identifier, optionally schema.table, at most 49
   * characters without the schema.
   */
  private String deadLettersTable = OutboxTables.DEFAULT_DEAD_LETTERS_TABLE;

  private final Kafka kafka = new Kafka();

  private final Health health = new Health();

  /** {@code outbox.kafka.*}: the Kafka publisher, used unless the application has a Publisher. */
  public static class Kafka {

    /**
     * Brokers to connect to first, such as host1:9092,host2:9092. Unset, the outbox uses
     * spring.kafka.producer.bootstrap-servers or spring.kafka.bootstrap-servers, with the security
     * protocol, TLS stores and connection properties of spring.kafka.*; set, a cluster of its own,
     * configured by outbox.kafka.properties alone.
     */
    private @Nullable String bootstrapServers;

    /**
     * More producer properties (TLS, SASL, timeouts…), by Kafka's names; settings that would weaken
     * the outbox's guarantees are refused.
     */
    private Map<String, String> properties = new LinkedHashMap<>();

    /**
     * When set, every record also carries the CloudEvents 1.0 binary-mode headers (ce_id, ce_type,
     * ce_time…), with this URI reference, such as /orders-service, as ce_source.
     */
    private @Nullable String cloudEventsSource;

    /**
     * Whether the Kafka clients' connection, disconnection and rebootstrap lines are kept to errors
     * and warnings (logger levels the application sets win): during an outage the dispatcher logs
     * it itself, a few lines a minute, where the clients log several a second.
     */
    private boolean quietClientLogs = true;

    public @Nullable String getBootstrapServers() {
      return bootstrapServers;
    }

    public void setBootstrapServers(@Nullable String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    public Map<String, String> getProperties() {
      return properties;
    }

    public void setProperties(Map<String, String> properties) {
      this.properties = properties;
    }

    public @Nullable String getCloudEventsSource() {
      return cloudEventsSource;
    }

    public void setCloudEventsSource(@Nullable String cloudEventsSource) {
      this.cloudEventsSource = cloudEventsSource;
    }

    public boolean isQuietClientLogs() {
      return quietClientLogs;
    }

    public void setQuietClientLogs(boolean quietClientLogs) {
      this.quietClientLogs = quietClientLogs;
    }
  }

  /** {@code outbox.health.*}: when the actuator's {@code outbox} health indicator says DOWN. */
  public static class Health {

    /**
     * The outbox health indicator is DOWN once one of the dispatcher's workers has failed, without
     * a success between, for this long.
     */
    private Duration failingFor = Duration.ofMinutes(1);

    /**
     * The outbox health indicator is DOWN while the oldest waiting event is older than this (a
     * query on the outbox table); unset, the age is not checked.
     */
    private @Nullable Duration maxWaitingAge;

    public Duration getFailingFor() {
      return failingFor;
    }

    public void setFailingFor(Duration failingFor) {
      this.failingFor = failingFor;
    }

    public @Nullable Duration getMaxWaitingAge() {
      return maxWaitingAge;
    }

    public void setMaxWaitingAge(@Nullable Duration maxWaitingAge) {
      this.maxWaitingAge = maxWaitingAge;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }

  public Duration getPollInterval() {
    return pollInterval;
  }

  public void setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Duration getBackoffBase() {
    return backoffBase;
  }

  public void setBackoffBase(Duration backoffBase) {
    this.backoffBase = backoffBase;
  }

  public Duration getBackoffCap() {
    return backoffCap;
  }

  public void setBackoffCap(Duration backoffCap) {
    this.backoffCap = backoffCap;
  }

  public DeadLetterPolicy getDeadLetterPolicy() {
    return deadLetterPolicy;
  }

  public void setDeadLetterPolicy(DeadLetterPolicy deadLetterPolicy) {
    this.deadLetterPolicy = deadLetterPolicy;
  }

  public Duration getDeadLetterInterval() {
    return deadLetterInterval;
  }

  public void setDeadLetterInterval(Duration deadLetterInterval) {
    this.deadLetterInterval = deadLetterInterval;
  }

  public Duration getStuckTimeout() {
    return stuckTimeout;
  }

  public void setStuckTimeout(Duration stuckTimeout) {
    this.stuckTimeout = stuckTimeout;
  }

  public Duration getStuckCheckInterval() {
    return stuckCheckInterval;
  }

  public void setStuckCheckInterval(Duration stuckCheckInterval) {
    this.stuckCheckInterval = stuckCheckInterval;
  }

  public Duration getDeadLetterRetention() {
    return deadLetterRetention;
  }

  public void setDeadLetterRetention(Duration deadLetterRetention) {
    this.deadLetterRetention = deadLetterRetention;
  }

  public Duration getSentRetention() {
    return sentRetention;
  }

  public void setSentRetention(Duration sentRetention) {
    this.sentRetention = sentRetention;
  }

  public Duration getCleanupInterval() {
    return cleanupInterval;
  }

  public void setCleanupInterval(Duration cleanupInterval) {
    this.cleanupInterval = cleanupInterval;
  }

  public int getCleanupBatchSize() {
    return cleanupBatchSize;
  }

  public void setCleanupBatchSize(int cleanupBatchSize) {
    this.cleanupBatchSize = cleanupBatchSize;
  }

  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  public Duration getDrainTimeout() {
    return drainTimeout;
  }

  public void setDrainTimeout(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
  }

  public boolean isCreateSchema() {
    return createSchema;
  }

  public void setCreateSchema(boolean createSchema) {
    this.createSchema = createSchema;
  }

  public @Nullable String getInstanceId() {
    return instanceId;
  }

  public void setInstanceId(@Nullable String instanceId) {
    this.instanceId = instanceId;
  }

  public String getEventsTable() {
    return eventsTable;
  }

  public void setEventsTable(String eventsTable) {
    this.eventsTable = eventsTable;
  }

  public String getDeadLettersTable() {
    return deadLettersTable;
  }

  public void setDeadLettersTable(String deadLettersTable) {
    this.deadLettersTable = deadLettersTable;
  }

  public Kafka getKafka() {
    return kafka;
  }

  public Health getHealth() {
    return health;
  }

  /** The outbox's tables, for the writer and the dispatcher alike. */
  OutboxTables tables() {
    try {
      return OutboxTables.of(eventsTable, deadLettersTable);
    } catch (IllegalArgumentException e) {
      throw new InvalidOutboxSettingException(e);
    }
  }

  /** The backoff's own words ({@code base}, {@code cap}) as these options' names. */
  private Backoff backoff() {
    try {
      return Backoff.exponential(backoffBase, backoffCap);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          String.valueOf(e.getMessage())
              .replaceFirst("^base\\b", "backoffBase")
              .replaceFirst("^cap\\b", "backoffCap"),
          e);
    }
  }

  /** The dispatcher's builder with these options; its own checks apply when it is built. */
  DispatcherBuilder configure(DispatcherBuilder builder) {
    builder
        .tables(tables())
        .batchSize(batchSize)
        .pollInterval(pollInterval)
        .maxAttempts(maxAttempts)
        .backoff(backoff())
        .deadLetterPolicy(deadLetterPolicy)
        .deadLetterInterval(deadLetterInterval)
        .stuckTimeout(stuckTimeout)
        .stuckCheckInterval(stuckCheckInterval)
        .deadLetterRetention(deadLetterRetention)
        .sentRetention(sentRetention)
        .cleanupInterval(cleanupInterval)
        .cleanupBatchSize(cleanupBatchSize)
        .shutdownTimeout(shutdownTimeout)
        .drainTimeout(drainTimeout)
        .createSchema(createSchema);
    if (instanceId != null) {
      builder.instanceId(instanceId);
    }
    return builder;
  }

  private final Flyway flyway = new Flyway();

  public Flyway getFlyway() {
    return flyway;
  }

  /**
   * {@code outbox.flyway.*}: the outbox's tables migrated by Flyway at startup, with a history
   * table of their own (needs Flyway on the class path; see OutboxFlywayConfiguration).
   */
  public static class Flyway {

    /** Whether to migrate the outbox's tables with Flyway at startup, before the dispatcher. */
    private boolean enabled;

    /** Flyway's history table of the outbox's migrations, apart from the application's. */
    private String table = "outbox_schema_history";

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getTable() {
      return table;
    }

    public void setTable(String table) {
      this.table = table;
    }
  }
}
