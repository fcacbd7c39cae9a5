package dev.outbox.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * The relay: the Spring Boot starter's dispatcher on the configured database and Kafka, with Spring
 * Boot's health probes ({@code /actuator/health/liveness}, {@code /readiness}) and Prometheus
 * endpoint ({@code /actuator/prometheus}), on {@code 127.0.0.1:8480} unless configured ({@value
 * #DEFAULTS} holds the defaults). On SIGTERM or Ctrl+C Spring Boot's shutdown hook stops the
 * dispatcher, which finishes the batch in hand.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(EffectiveConfiguration.class)
class RelayApplication {

  /** The relay's defaults: the lowest in rank of its configuration. */
  static final String DEFAULTS = "dev/outbox/relay/relay.properties";

  /**
   * Starts the relay; {@code arguments} are Spring Boot's ({@code --name=value} properties).
   *
   * @param log the log of the start, held until it has started, or {@code null} to log as it goes
   * @throws StartFailure if it cannot start
   */
  static ConfigurableApplicationContext start(
      Map<String, Object> properties, @Nullable StartLog log, String... arguments) {
    Map<String, Object> defaults = defaults();
    defaults.put("spring.config.location", ConfigOption.NO_FILE);
    defaults.putAll(properties);
    return StartFailure.run(
        new SpringApplicationBuilder(RelayApplication.class)
            .listeners(new RequiredSettings(), new ConsoleDefaults())
            .properties(defaults),
        log,
        arguments);
  }

  /** The relay's defaults, {@value #DEFAULTS}, for the relay and for the commands. */
  static Map<String, Object> defaults() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    try {
      PropertiesLoaderUtils.loadProperties(new ClassPathResource(DEFAULTS))
          .forEach((name, value) -> defaults.put((String) name, value));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + DEFAULTS, e);
    }
    return defaults;
  }
}
