package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

/** The outbox's producer reaches the cluster the application configured under spring.kafka.*. */
class SpringKafkaSettingsTest {

  private final MockEnvironment environment = new MockEnvironment();

  private SpringKafkaSettings settings() {
    return new SpringKafkaSettings(environment, new DefaultResourceLoader());
  }

  @Test
  void securityTlsAndConnectionPropertiesAreTakenInSpringBootsOrderOutboxOnesOverAll() {
    environment
        .withProperty("spring.kafka.bootstrap-servers", "a:9093,b:9093")
        .withProperty("spring.kafka.security.protocol", "SASL_SSL")
        .withProperty("spring.kafka.ssl.trust-store-location", "classpath:kafka/truststore.jks")
        .withProperty("spring.kafka.ssl.trust-store-password", "changeit")
        .withProperty("spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512")
        .withProperty("spring.kafka.properties[sasl.jaas.config]", "jaas-of-the-app")
        .withProperty("spring.kafka.properties.auto.offset.reset", "earliest")
        .withProperty("spring.kafka.properties.schema.registry.url", "http://registry")
        .withProperty("spring.kafka.properties.ssl.truststore.type", "PKCS12")
        .withProperty("spring.kafka.producer.ssl.trust-store-password", "producer-secret")
        .withProperty("spring.kafka.producer.ssl.trust-store-type", "JKS")
        .withProperty("spring.kafka.producer.properties.sasl.login.class", "Login")
        .withProperty("spring.kafka.producer.properties.acks", "1")
        .withProperty("spring.kafka.producer.properties.client.id", "the-apps-producer");

    Map<String, String> producer = settings().producerProperties(Map.of("sasl.mechanism", "PLAIN"));

    assertThat(settings().bootstrapServers()).isEqualTo("a:9093,b:9093");
    assertThat(Path.of(producer.get("ssl.truststore.location")))
        .isAbsolute()
        .satisfies(path -> assertThat(Files.isRegularFile(path)).isTrue())
        .hasFileName("truststore.jks");
    assertThat(producer)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.password", "producer-secret")
        .containsEntry("sasl.jaas.config", "jaas-of-the-app")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("sasl.login.class", "Login")
        // Spring Boot's order: the producer's typed settings over the common properties.
        .containsEntry("ssl.truststore.type", "JKS")
        .doesNotContainKeys("auto.offset.reset", "schema.registry.url", "acks", "client.id");
  }

  @Test
  void outboxServersOfTheirOwnGetNothingOfSpringKafkasSettings() {
    environment
        .withProperty("spring.kafka.bootstrap-servers", "app-cluster:9093")
        .withProperty("spring.kafka.security.protocol", "SASL_SSL")
        .withProperty("spring.kafka.properties[sasl.jaas.config]", "the-apps-credentials");
    OutboxProperties.Kafka outbox = new OutboxProperties.Kafka();
    outbox.setBootstrapServers("outbox-cluster:9092");
    outbox.setProperties(Map.of("compression.type", "zstd"));

    SpringKafkaSettings.Connection connection = settings().connection(outbox);

    assertThat(connection.bootstrapServers()).isEqualTo("outbox-cluster:9092");
    assertThat(connection.properties()).containsExactly(Map.entry("compression.type", "zstd"));

    outbox.setBootstrapServers(null);
    assertThat(settings().connection(outbox))
        .isEqualTo(
            new SpringKafkaSettings.Connection(
                "app-cluster:9093",
                Map.of(
                    "security.protocol", "SASL_SSL",
                    "sasl.jaas.config", "the-apps-credentials",
                    "compression.type", "zstd")));
  }

  @Test
  void theProducersOwnServersWin() {
    environment
        .withProperty("spring.kafka.bootstrap-servers", "shared:9092")
        .withProperty("spring.kafka.producer.bootstrap-servers[0]", "p1:9092")
        .withProperty("spring.kafka.producer.bootstrap-servers[1]", "p2:9092");
    assertThat(settings().bootstrapServers()).isEqualTo("p1:9092,p2:9092");
  }

  @Test
  void noServersConfiguredIsNone() {
    assertThat(settings().bootstrapServers()).isNull();
    assertThat(settings().producerProperties(Map.of())).isEmpty();
  }

  @Test
  void anSslBundleIsRefusedWithWhatToDoInstead() {
    environment.withProperty("spring.kafka.ssl.bundle", "kafka");
    assertThatThrownBy(() -> settings().producerProperties(Map.of()))
        .hasMessageStartingWith(
            "spring.kafka.ssl.bundle is not supported by the outbox's Kafka publisher");
  }

  @Test
  void aStoreInsideAJarIsRefusedNamingTheProperty() {
    environment.withProperty(
        "spring.kafka.ssl.key-store-location", "classpath:org/junit/jupiter/api/Test.class");
    assertThatThrownBy(() -> settings().producerProperties(Map.of()))
        .hasMessageStartingWith(
            "spring.kafka.ssl.key-store-location (classpath:org/junit/jupiter/api/Test.class) must"
                + " be a file Kafka can open by its path");
  }
}
