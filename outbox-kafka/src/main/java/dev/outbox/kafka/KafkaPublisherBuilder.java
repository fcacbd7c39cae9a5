package dev.outbox.kafka;

import dev.outbox.spi.PublishTimeLimit;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration for a {@link KafkaPublisher} that owns a new {@link KafkaProducer}.
 *
 * <p>Enforced defaults: {@code enable.idempotence=true}, {@code acks=all}, {@code linger.ms=0},
 * {@code compression.type=none}; String key serializer; the payload is sent as UTF-8 bytes. Any
 * other producer property passes through unchanged (TLS, SASL, timeouts, batching…), and {@code
 * linger.ms} and {@code compression.type} may be overridden.
 *
 * <p>Refused with an {@link IllegalArgumentException} naming the property and value: {@code acks}
 * other than {@code all}/{@code -1}; {@code enable.idempotence=false}; {@code
 * max.in.flight.requests.per.connection} outside 1–5; {@code retries} below 1; {@code
 * transactional.id}; {@code key.serializer}/{@code value.serializer}; {@code
 * partitioner.ignore.keys=true} and the {@code RoundRobinPartitioner}, which would scatter one
 * aggregate over several partitions. A custom partitioner must send equal keys to one partition.
 *
 * <p>{@link #build()} logs the effective configuration once at INFO, with the value of every
 * property that may hold a secret (password, secret, token, JAAS, key…) shown as {@code ****}.
 */
public final class KafkaPublisherBuilder {

  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Map<String, Object> properties = new LinkedHashMap<>();
  private Duration closeTimeout = KafkaPublisher.DEFAULT_CLOSE_TIMEOUT;
  private @Nullable String cloudEventsSource;
  private Function<Map<String, Object>, Producer<String, byte[]>> producerFactory =
      config -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());

  KafkaPublisherBuilder() {}

  /** The brokers to connect to first, as {@code host:port[,host:port…]}; required. */
  public KafkaPublisherBuilder bootstrapServers(String bootstrapServers) {
    return property(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, requireText("bootstrapServers", bootstrapServers));
  }

  /** The client id brokers see in their logs, metrics and quotas. */
  public KafkaPublisherBuilder clientId(String clientId) {
    return property(ProducerConfig.CLIENT_ID_CONFIG, requireText("clientId", clientId));
  }

  /**
   * Sets one producer property; the value may be a String or the typed value Kafka accepts.
   *
   * @throws IllegalArgumentException if the property would break idempotence or ordering
   */
  public KafkaPublisherBuilder property(String name, Object value) {
    requireText("property name", name);
    Objects.requireNonNull(value, () -> "value of Kafka producer property '" + name + "'");
    ProducerSettings.checkOverride(name, value);
    properties.put(name, value);
    return this;
  }

  /** Sets every entry of {@code properties}, as {@link #property} does. */
  public KafkaPublisherBuilder properties(Map<String, ?> properties) {
    properties.forEach(this::property);
    return this;
  }

  /**
   * Sets every entry of {@code properties}, as {@link #property} does. Like Kafka's own clients,
   * reads the entries themselves, not the defaults a {@code Properties} may chain to.
   */
  public KafkaPublisherBuilder properties(Properties properties) {
    properties.forEach(
        (name, value) -> {
          if (!(name instanceof String text)) {
            throw new IllegalArgumentException(
                "Kafka producer property name is not a String: " + name);
          }
          property(text, value);
        });
    return this;
  }

  /** How long {@link KafkaPublisher#close()} waits for buffered records; default 30 s. */
  public KafkaPublisherBuilder closeTimeout(Duration closeTimeout) {
    this.closeTimeout = KafkaPublisher.requireNonNegative(closeTimeout);
    return this;
  }

  /**
   * Also writes the CloudEvents 1.0 binary-mode headers (Kafka protocol binding) on every record:
   * {@code ce_specversion=1.0}, {@code ce_id} (the event id), {@code ce_source} (this), {@code
   * ce_type} (the event type), {@code ce_time} (its {@code created_at}) and {@code
   * content-type=application/json}, beside the outbox's own headers. An event's own headers of
   * those names are dropped.
   *
   * @param source the {@code ce_source}: a URI reference naming the producing service, such as
   *     {@code /orders-service} or {@code urn:example:orders}
   */
  public KafkaPublisherBuilder cloudEvents(String source) {
    requireText("cloudEvents source", source);
    try {
      var unused = new URI(source);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "cloudEvents source '" + source + "' is not a URI reference: " + e.getReason(), e);
    }
    this.cloudEventsSource = source;
    return this;
  }

  /** For tests: builds the producer from the effective configuration instead of Kafka. */
  KafkaPublisherBuilder producerFactory(
      Function<Map<String, Object>, Producer<String, byte[]>> factory) {
    this.producerFactory = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Creates the producer and the publisher. No broker is contacted yet.
   *
   * @throws IllegalArgumentException if bootstrap servers are missing or Kafka refuses the
   *     configuration
   */
  public KafkaPublisher build() {
    Map<String, Object> config = ProducerSettings.effective(properties);
    log.info(
        "Creating Kafka publisher (key: String, value: UTF-8 JSON bytes, close timeout {})"
            + " with producer configuration {}",
        closeTimeout,
        ProducerSettings.masked(config));
    Producer<String, byte[]> producer;
    try {
      producer = producerFactory.apply(config);
    } catch (KafkaException e) {
      ConfigException configError = findConfigException(e);
      if (configError == null) {
        throw e;
      }
      throw new IllegalArgumentException(
          "Invalid Kafka producer configuration: " + configError.getMessage(), e);
    }
    Duration maxBlock = ProducerSettings.maxBlock(config);
    Duration deliveryTimeout = ProducerSettings.deliveryTimeout(config);
    PublishTimeLimit limit =
        new PublishTimeLimit(
            maxBlock.plus(deliveryTimeout),
            "max.block.ms ("
                + maxBlock.toMillis()
                + ") + delivery.timeout.ms ("
                + deliveryTimeout.toMillis()
                + ")");
    return new KafkaPublisher(
        producer,
        new RecordMapper(cloudEventsSource),
        closeTimeout,
        new BrokerProbe(config),
        limit,
        maxBlock);
  }

  private static @Nullable ConfigException findConfigException(Throwable error) {
    Throwable current = error;
    for (int depth = 0; current != null && depth < 16; depth++) {
      if (current instanceof ConfigException configError) {
        return configError;
      }
      current = current.getCause();
    }
    return null;
  }

  private static String requireText(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
