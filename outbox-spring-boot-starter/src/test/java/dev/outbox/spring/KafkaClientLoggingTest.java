package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Regression: in an application with default log levels, a broker outage filled the log with the
 * Kafka clients' connection lines (the README told users to silence them themselves).
 */
class KafkaClientLoggingTest {

  private static final String NETWORK_CLIENT =
      "logging.level.org.apache.kafka.clients.NetworkClient";

  private final KafkaClientLogging logging = new KafkaClientLogging();

  @Test
  void theKafkaClientsConnectionLoggersKeepTheirErrorsByDefault() {
    StandardEnvironment environment = new StandardEnvironment();

    logging.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty(NETWORK_CLIENT)).isEqualTo("ERROR");
    assertThat(
            environment.getProperty(
                "logging.level.org.apache.kafka.clients.admin.internals.AdminMetadataManager"))
        .isEqualTo("WARN");
  }

  @Test
  void aLevelTheApplicationSetsWins() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(new MapPropertySource("application", Map.of(NETWORK_CLIENT, "WARN")));

    logging.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty(NETWORK_CLIENT)).isEqualTo("WARN");
  }

  @Test
  void aLevelTheApplicationSetsForAParentLoggerWinsToo() {
    for (String parent : List.of("logging.level.org.apache.kafka", "logging.level.root")) {
      StandardEnvironment environment = new StandardEnvironment();
      environment
          .getPropertySources()
          .addFirst(new MapPropertySource("application", Map.of(parent, "DEBUG")));

      logging.postProcessEnvironment(environment, new SpringApplication());

      assertThat(environment.getProperty(NETWORK_CLIENT)).as(parent).isNull();
    }
  }

  @Test
  void theApplicationCanKeepTheClientsLinesAsKafkaLogsThem() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource("application", Map.of(KafkaClientLogging.PROPERTY, "false")));

    logging.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty(NETWORK_CLIENT)).isNull();
  }

  @Test
  void aStartedApplicationLogsTheNetworkClientsErrorsOnly() {
    Logger networkClient =
        (Logger) LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient");
    Level before = networkClient.getLevel();
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(NoBeans.class)
            .web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off")
            .run()) {
      assertThat(networkClient.getEffectiveLevel()).isEqualTo(Level.ERROR);
    } finally {
      // Logback's levels outlive the context: later tests in this JVM get them as they were.
      networkClient.setLevel(before);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NoBeans {}
}
