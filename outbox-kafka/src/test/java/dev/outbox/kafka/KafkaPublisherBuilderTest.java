package dev.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outbox.spi.PublishTimeLimit;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class KafkaPublisherBuilderTest {

  private final AtomicReference<Map<String, Object>> captured = new AtomicReference<>();

  private KafkaPublisherBuilder builder() {
    return KafkaPublisher.builder()
        .bootstrapServers("broker-1:9092,broker-2:9092")
        .producerFactory(
            config -> {
              captured.set(config);
              return new MockProducer<>(
                  true, null, new StringSerializer(), new ByteArraySerializer());
            });
  }

  private Map<String, Object> effectiveConfig(KafkaPublisherBuilder builder) {
    builder.build().close();
    return captured.get();
  }

  @Test
  void enforcesSafeDefaults() {
    Map<String, Object> config = effectiveConfig(builder());

    assertThat(config)
        .containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("acks", "all")
        .containsEntry("linger.ms", "0")
        .containsEntry("compression.type", "none")
        .containsEntry("max.block.ms", "5000")
        .doesNotContainKeys("key.serializer", "value.serializer", "transactional.id");
  }

  @Test
  void passesOtherPropertiesThrough() {
    Properties tls = new Properties();
    tls.put("security.protocol", "SASL_SSL");
    tls.put("ssl.truststore.location", "/etc/kafka/truststore.p12");
    tls.put("delivery.timeout.ms", 60_000);

    Map<String, Object> config =
        effectiveConfig(
            builder()
                .clientId("orders-outbox")
                .property("linger.ms", 20)
                .property("compression.type", "zstd")
                .properties(Map.of("sasl.mechanism", "PLAIN", "acks", "-1"))
                .properties(tls));

    assertThat(config)
        .containsEntry("client.id", "orders-outbox")
        .containsEntry("linger.ms", 20)
        .containsEntry("compression.type", "zstd")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("acks", "-1")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
        .containsEntry("delivery.timeout.ms", 60_000)
        .containsEntry("enable.idempotence", "true");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "acks, 1",
    "acks, 0",
    "acks, ALL",
    "enable.idempotence, false",
    "max.in.flight.requests.per.connection, 6",
    "max.in.flight.requests.per.connection, 0",
    "max.in.flight.requests.per.connection, many",
    "retries, 0",
    "transactional.id, outbox-tx",
    "key.serializer, org.apache.kafka.common.serialization.ByteArraySerializer",
    "value.serializer, org.apache.kafka.common.serialization.StringSerializer",
    "partitioner.ignore.keys, true",
    "partitioner.class, org.apache.kafka.clients.producer.RoundRobinPartitioner"
  })
  void refusesUnsafeOverrides(String name, String value) {
    assertThatThrownBy(() -> KafkaPublisher.builder().property(name, value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("'" + value + "'");
  }

  @Test
  void refusesUnsafeTypedValuesAndBulkOverrides() {
    assertThatThrownBy(() -> KafkaPublisher.builder().property("enable.idempotence", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("enable.idempotence");
    assertThatThrownBy(
            () -> KafkaPublisher.builder().property("max.in.flight.requests.per.connection", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'10'");
    assertThatThrownBy(
            () ->
                KafkaPublisher.builder().property("partitioner.class", RoundRobinPartitioner.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KafkaPublisher.builder().properties(Map.of("acks", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acks");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "acks, all",
    "acks, -1",
    "enable.idempotence, TRUE",
    "max.in.flight.requests.per.connection, 1",
    "max.in.flight.requests.per.connection, 5",
    "retries, 10",
    "partitioner.ignore.keys, false"
  })
  void acceptsSafeValuesOfGuardedProperties(String name, String value) {
    assertThat(effectiveConfig(builder().property(name, value))).containsEntry(name, value);
    // Kafka's own validation must agree.
    KafkaPublisher.builder()
        .bootstrapServers("127.0.0.1:1")
        .property(name, value)
        .closeTimeout(Duration.ZERO)
        .build()
        .close();
  }

  @Test
  void requiresBootstrapServers() {
    assertThatThrownBy(() -> KafkaPublisher.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(() -> KafkaPublisher.builder().bootstrapServers(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrapServers");
    assertThatThrownBy(() -> KafkaPublisher.builder().property(" ", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KafkaPublisher.builder().closeTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logsTheEffectiveConfigurationOnceWithSecretsMasked() {
    Logger logger = (Logger) LoggerFactory.getLogger(KafkaPublisher.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Map<String, Object> secrets = new HashMap<>();
      secrets.put("sasl.jaas.config", "PlainLoginModule required password=\"s3cr3t-jaas\";");
      secrets.put("ssl.key.password", "s3cr3t-key-pw");
      secrets.put("ssl.keystore.key", "-----BEGIN PRIVATE KEY----- s3cr3t-pem");
      secrets.put("ssl.truststore.password", "s3cr3t-trust");

      builder().properties(secrets).property("security.protocol", "SASL_SSL").build().close();

      assertThat(appender.list).hasSize(1);
      String logged = appender.list.get(0).getFormattedMessage();
      assertThat(appender.list.get(0).getLevel().toString()).isEqualTo("INFO");
      assertThat(logged)
          .doesNotContain("s3cr3t")
          .contains("sasl.jaas.config=****")
          .contains("ssl.key.password=****")
          .contains("ssl.keystore.key=****")
          .contains("security.protocol=SASL_SSL")
          .contains("acks=all")
          .contains("enable.idempotence=true");
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void buildsARealKafkaProducerWithoutContactingABroker() {
    // Nothing listens on port 1; construction must not need a broker, and Kafka must accept the
    // configuration the builder produces.
    KafkaPublisher publisher =
        KafkaPublisher.builder()
            .bootstrapServers("127.0.0.1:1")
            .clientId("outbox-builder-test")
            .build();

    // With nothing buffered, close returns promptly even under the default 30 s timeout.
    publisher.close();
  }

  @Test
  void boundsAPublishByTheProducersOwnTimeoutsNamingThem() {
    try (KafkaPublisher defaults =
            KafkaPublisher.builder().bootstrapServers("127.0.0.1:1").build();
        KafkaPublisher shorter =
            KafkaPublisher.builder()
                .bootstrapServers("127.0.0.1:1")
                .property("max.block.ms", "1000")
                .property("delivery.timeout.ms", 30_000)
                .build()) {
      assertThat(defaults.publishTimeLimit())
          .contains(
              new PublishTimeLimit(
                  Duration.ofSeconds(125), "max.block.ms (5000) + delivery.timeout.ms (120000)"));
      assertThat(shorter.publishTimeLimit().orElseThrow().limit())
          .isEqualTo(Duration.ofSeconds(31));
    }
    try (KafkaPublisher slowRequests =
        KafkaPublisher.builder()
            .bootstrapServers("127.0.0.1:1")
            .property("request.timeout.ms", 300_000)
            .build()) {
      assertThat(slowRequests.publishTimeLimit().orElseThrow().limit())
          .as("Kafka raises an unset delivery timeout to linger.ms (0) + request.timeout.ms")
          .isEqualTo(Duration.ofMillis(5_000 + 300_000));
    }
  }

  @Test
  void refusesACloudEventsSourceThatIsNoUriReference() {
    assertThatThrownBy(() -> KafkaPublisher.builder().cloudEvents(" "))
        .hasMessageContaining("cloudEvents source");
    assertThatThrownBy(() -> KafkaPublisher.builder().cloudEvents("orders service"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'orders service' is not a URI reference");
  }

  @Test
  void reportsAConfigurationKafkaRefusesAsIllegalArgument() {
    assertThatThrownBy(
            () ->
                KafkaPublisher.builder()
                    .bootstrapServers("127.0.0.1:1")
                    .property("compression.type", "bogus")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compression.type")
        .hasMessageContaining("bogus");
  }
}
