package dev.outbox.spring;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The Kafka connection an application already configured under {@code spring.kafka.*} (servers,
 * security protocol, TLS stores, {@code properties}), in Kafka's own names, for the outbox's
 * producer: read from the environment, so the application needs no Spring for Apache Kafka. Only
 * how to reach the cluster is taken, and only when the outbox uses {@code spring.kafka}'s servers.
 */
final class SpringKafkaSettings {

  /**
   * What of {@code spring.kafka.properties} and {@code spring.kafka.producer.properties} is about
   * reaching the cluster. The rest is the application's own clients' business: a consumer's offset
   * reset, a schema registry's credentials, a {@code client.id} or {@code acks} of its producer.
   */
  private static final List<String> CONNECTION =
      List.of("security.", "ssl.", "sasl.", "client.dns.lookup");

  private static final Map<String, String> SSL =
      Map.ofEntries(
          Map.entry("key-password", "ssl.key.password"),
          Map.entry("key-store-certificate-chain", "ssl.keystore.certificate.chain"),
          Map.entry("key-store-key", "ssl.keystore.key"),
          Map.entry("key-store-password", "ssl.keystore.password"),
          Map.entry("key-store-type", "ssl.keystore.type"),
          Map.entry("trust-store-certificates", "ssl.truststore.certificates"),
          Map.entry("trust-store-password", "ssl.truststore.password"),
          Map.entry("trust-store-type", "ssl.truststore.type"),
          Map.entry("protocol", "ssl.protocol"));

  private static final Map<String, String> SSL_LOCATIONS =
      Map.of(
          "key-store-location", "ssl.keystore.location",
          "trust-store-location", "ssl.truststore.location");

  private final Binder binder;
  private final ResourceLoader resources;

  SpringKafkaSettings(Environment environment, ResourceLoader resources) {
    this.binder = Binder.get(environment);
    this.resources = resources;
  }

  /** The brokers the outbox's producer connects to first, and its settings. */
  record Connection(@Nullable String bootstrapServers, Map<String, String> properties) {}

  /**
   * {@code outbox.kafka.*} alone when it names the servers: another cluster than {@code
   * spring.kafka}'s gets nothing of its settings, its credentials least. Else {@code
   * spring.kafka}'s servers and connection settings, with {@code outbox.kafka.properties} over
   * them.
   */
  Connection connection(OutboxProperties.Kafka outbox) {
    String servers = outbox.getBootstrapServers();
    if (servers != null) {
      return new Connection(servers, outbox.getProperties());
    }
    return new Connection(bootstrapServers(), producerProperties(outbox.getProperties()));
  }

  /**
   * {@code spring.kafka.producer.bootstrap-servers}, else {@code spring.kafka.bootstrap-servers}.
   */
  @Nullable String bootstrapServers() {
    for (String prefix : List.of("spring.kafka.producer", "spring.kafka")) {
      List<String> servers =
          binder.bind(prefix + ".bootstrap-servers", Bindable.listOf(String.class)).orElse(null);
      if (servers != null && !servers.isEmpty()) {
        return String.join(",", servers);
      }
    }
    return null;
  }

  /**
   * The producer's settings, in Spring Boot's order: for the common {@code spring.kafka.*}, then
   * for {@code spring.kafka.producer.*}, the security protocol and TLS stores and then the
   * connection entries of {@code properties}; {@code outbox.kafka.properties} over all.
   */
  Map<String, String> producerProperties(Map<String, String> outboxProperties) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String prefix : List.of("spring.kafka", "spring.kafka.producer")) {
      binder
          .bind(prefix + ".security.protocol", String.class)
          .ifBound(protocol -> settings.put("security.protocol", protocol));
      ssl(prefix + ".ssl", settings);
      properties(prefix)
          .forEach(
              (name, value) -> {
                if (CONNECTION.stream().anyMatch(name::startsWith)) {
                  settings.put(name, value);
                }
              });
    }
    settings.putAll(outboxProperties);
    return settings;
  }

  private Map<String, String> properties(String prefix) {
    return binder
        .bind(prefix + ".properties", Bindable.mapOf(String.class, String.class))
        .orElse(Map.of());
  }

  private void ssl(String prefix, Map<String, String> settings) {
    if (binder.bind(prefix + ".bundle", String.class).isBound()) {
      throw new IllegalStateException(
          prefix
              + ".bundle is not supported by the outbox's Kafka publisher: set the stores with "
              + prefix
              + ".key-store-location and .trust-store-location (or PEM certificates), or give"
              + " ssl.* settings in outbox.kafka.properties");
    }
    SSL.forEach(
        (name, kafkaName) ->
            binder
                .bind(prefix + "." + name, String.class)
                .ifBound(value -> settings.put(kafkaName, value)));
    SSL_LOCATIONS.forEach(
        (name, kafkaName) ->
            binder
                .bind(prefix + "." + name, String.class)
                .ifBound(location -> settings.put(kafkaName, file(prefix + "." + name, location))));
  }

  /** Kafka opens stores by path: a {@code classpath:} or {@code file:} location becomes one. */
  private String file(String property, String location) {
    try {
      return resources.getResource(location).getFile().getAbsolutePath();
    } catch (IOException e) {
      throw new IllegalStateException(
          property
              + " ("
              + location
              + ") must be a file Kafka can open by its path, not inside a jar: "
              + e.getMessage(),
          e);
    }
  }
}
