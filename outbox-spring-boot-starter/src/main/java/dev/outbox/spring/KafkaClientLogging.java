package dev.outbox.spring;

import java.util.LinkedHashMap;
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
 * <p>The levels are defaults, added after every other property source, and only where the
 * application sets no level for the logger or one above it ({@code logging.level.root}, {@code
 * …org.apache.kafka}, {@code …org.apache.kafka.clients}, …): a level it sets wins, and {@code
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
    if (!environment.getProperty(PROPERTY, Boolean.class, true)
        || environment.getPropertySources().contains(SOURCE)) {
      return;
    }
    Map<String, Object> levels = new LinkedHashMap<>();
    LEVELS.forEach(
        (property, level) -> {
          if (!levelSetAtOrAbove(environment, property)) {
            levels.put(property, level);
          }
        });
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, levels));
  }

  /** Whether the application sets the level of this logger, of a parent, or of the root. */
  private static boolean levelSetAtOrAbove(ConfigurableEnvironment environment, String property) {
    if (environment.containsProperty("logging.level.root")) {
      return true;
    }
    for (String name = property; name.startsWith("logging.level."); ) {
      if (environment.containsProperty(name)) {
        return true;
      }
      int dot = name.lastIndexOf('.');
      name = name.substring(0, dot);
    }
    return false;
  }
}
