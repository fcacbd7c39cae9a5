package dev.outbox.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;

/**
 * The producer configuration {@link KafkaPublisher.Builder} enforces: safe defaults, refusal of
 * overrides that would break the outbox's guarantees, and masking of secrets for the log.
 */
final class ProducerSettings {

  private static final Pattern NAME_SEPARATORS = Pattern.compile("[._\\-]");

  static final String MASK = "****";

  /** Applied first, so any property not refused below may override them. */
  static final Map<String, Object> DEFAULTS = defaults();

  private ProducerSettings() {}

  private static Map<String, Object> defaults() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    defaults.put(ProducerConfig.ACKS_CONFIG, "all");
    // The dispatcher sends all it has for a round and then waits for the acknowledgements, so a
    // linger only delays every round: measured on a local broker, 10 ms per acknowledged send of
    // one aggregate's chain at 5 ms against 1 ms at 0, and 103k against 198k records/s in rounds of
    // 1,000. Sends queued while a request is in flight still share the next one.
    defaults.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    defaults.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    // send() blocks the dispatcher's thread while metadata is missing (broker down); Kafka's 60 s
    // default would stall a batch for minutes before the outage is even noticed.
    defaults.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    return Map.copyOf(defaults);
  }

  /**
   * Refuses a property that would let an acknowledged event be lost, duplicated by the producer's
   * own retries, reordered within an aggregate, or sent in a format other than the publisher's.
   *
   * @throws IllegalArgumentException naming the property and the refused value
   */
  static void checkOverride(String name, Object value) {
    String text = String.valueOf(value).trim();
    switch (name) {
      case ProducerConfig.ACKS_CONFIG -> {
        // Case-sensitive like Kafka's own validator, so what passes here also passes there.
        if (!text.equals("all") && !text.equals("-1")) {
          throw refused(name, value, "acks=all is required so an acknowledged event survives");
        }
      }
      case ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG -> {
        if (!text.equalsIgnoreCase("true")) {
          throw refused(name, value, "the idempotent producer keeps retries from duplicating");
        }
      }
      case ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION -> {
        int inFlight = parseInt(name, value, text);
        if (inFlight < 1 || inFlight > 5) {
          throw refused(name, value, "must be 1 to 5, the range in which idempotence keeps order");
        }
      }
      case ProducerConfig.RETRIES_CONFIG -> {
        if (parseInt(name, value, text) < 1) {
          throw refused(name, value, "the idempotent producer needs retries of at least 1");
        }
      }
      case ProducerConfig.TRANSACTIONAL_ID_CONFIG ->
          throw refused(name, value, "the publisher sends outside Kafka transactions");
      case ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG ->
          throw refused(name, value, "the publisher fixes the record format (String key, bytes)");
      case ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG -> {
        if (text.equalsIgnoreCase("true")) {
          throw refused(name, value, "ignoring the key would spread one aggregate's events");
        }
      }
      case ProducerConfig.PARTITIONER_CLASS_CONFIG -> {
        String className = value instanceof Class<?> type ? type.getName() : text;
        if (className.equals(RoundRobinPartitioner.class.getName())) {
          throw refused(name, value, "ignoring the key would spread one aggregate's events");
        }
      }
      default -> {
        // Everything else (TLS, SASL, timeouts, batching, compression…) is the user's call.
      }
    }
  }

  /**
   * The configuration to construct the producer with: defaults, then {@code overrides} checked by
   * {@link #checkOverride}.
   *
   * @throws IllegalArgumentException if an override is refused or bootstrap.servers is missing
   */
  static Map<String, Object> effective(Map<String, Object> overrides) {
    Map<String, Object> config = new TreeMap<>(DEFAULTS);
    overrides.forEach(
        (name, value) -> {
          checkOverride(name, value);
          config.put(name, value);
        });
    Object servers = config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || String.valueOf(servers).isBlank()) {
      throw new IllegalArgumentException(
          "Kafka producer property 'bootstrap.servers' is required (host:port[,host:port…])");
    }
    return config;
  }

  /** How long {@code send()} may block for metadata or buffer space, from the effective config. */
  static Duration maxBlock(Map<String, Object> config) {
    return millis(config, ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
  }

  /**
   * How long the producer tries a record before failing it, from the effective config. Left unset,
   * Kafka raises its 120 s default to {@code linger.ms + request.timeout.ms} when that is longer.
   */
  static Duration deliveryTimeout(Map<String, Object> config) {
    Duration configured = millis(config, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    if (config.containsKey(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
      return configured;
    }
    Duration floor =
        millis(config, ProducerConfig.LINGER_MS_CONFIG, 5)
            .plus(millis(config, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000));
    return floor.compareTo(configured) > 0 ? floor : configured;
  }

  /** A duration property in milliseconds, or Kafka's own default when it is not set. */
  private static Duration millis(Map<String, Object> config, String name, long kafkaDefault) {
    Object value = config.get(name);
    if (value == null) {
      return Duration.ofMillis(kafkaDefault);
    }
    String text = String.valueOf(value).trim();
    try {
      return Duration.ofMillis(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Kafka producer property '" + name + "'='" + value + "' is not a whole number", e);
    }
  }

  /** A copy of {@code config} fit for a log: sorted by name, secrets replaced by {@link #MASK}. */
  static Map<String, String> masked(Map<String, ?> config) {
    Map<String, String> masked = new TreeMap<>();
    config.forEach(
        (name, value) -> masked.put(name, isSecret(name) ? MASK : String.valueOf(value)));
    return masked;
  }

  /**
   * Whether a property's value must not be logged. Errs on the side of masking: any name mentioning
   * a password, passphrase, secret, token, credential or JAAS configuration, or with a name segment
   * ending in "key" ({@code ssl.keystore.key}, {@code …private.key.file}, {@code apiKey}).
   */
  static boolean isSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String word : new String[] {"password", "passphrase", "secret", "token", "credential"}) {
      if (lower.contains(word)) {
        return true;
      }
    }
    if (lower.contains("jaas")) {
      return true;
    }
    return NAME_SEPARATORS.splitAsStream(lower).anyMatch(segment -> segment.endsWith("key"));
  }

  private static int parseInt(String name, Object value, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Kafka producer property '" + name + "'='" + value + "' is not an integer", e);
    }
  }

  private static IllegalArgumentException refused(String name, Object value, String why) {
    return new IllegalArgumentException(
        "Kafka producer property '" + name + "'='" + value + "' is not allowed: " + why);
  }
}
