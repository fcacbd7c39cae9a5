package dev.outbox.spring;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Quiets the Kafka clients' own account of an outage. While a broker is away, each client logs
 * every failed connection, disconnection and rebootstrap: several lines a second per client, for as
 * long as it lasts. The dispatcher tells the outage itself (a WARN when it starts, one a minute
 * while it lasts, an INFO when the broker is back), so those loggers get levels that keep their
 * errors only.
 *
 * <p>The levels are defaults, added after every other property source: a {@code
 * logging.level.org.apache.kafka…} the application sets wins, and {@code
 * outbox.kafka.quiet-client-logs=false} leaves them all alone. They are logger names, not
 * per-client settings, so they quiet the application's own Kafka clients too.
 */
public final class KafkaClientLogging implements EnvironmentPostProcessor {

  static final String PROPERTY = "outbox.kafka.quiet-client-logs";
  static final String SOURCE = "outbox-kafka-client-logging";

  /**
   * The loggers of connection failures, disconnections and rebootstraps, and their levels; and
   * those of a new client's configuration and version, which the availability check logs each time
   * it renews its admin client during a long outage.
   */
  static final Map<String, Object> LEVELS =
      Map.of(
          "logging.level.org.apache.kafka.clients.NetworkClient", "ERROR",
          "logging.level.org.apache.kafka.clients.Metadata", "WARN",
          "logging.level.org.apache.kafka.clients.admin.internals.AdminMetadataManager", "WARN",
          "logging.level.org.apache.kafka.clients.admin.AdminClientConfig", "WARN",
          "logging.level.org.apache.kafka.common.utils.AppInfoParser", "WARN");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.getProperty(PROPERTY, Boolean.class, true)
        && !environment.getPropertySources().contains(SOURCE)) {
      environment.getPropertySources().addLast(new MapPropertySource(SOURCE, LEVELS));
    }
  }
}
