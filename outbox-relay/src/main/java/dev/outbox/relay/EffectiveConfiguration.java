package dev.outbox.relay;

import dev.outbox.Dispatcher;
import dev.outbox.spring.OutboxProperties;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Logs once, when the relay is ready, the configuration in force: where it listens, the database,
 * Kafka and every dispatcher setting, with secrets masked ({@link Secrets}).
 */
final class EffectiveConfiguration implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(EffectiveConfiguration.class);

  private final Environment environment;
  private final OutboxProperties outbox;
  private final ObjectProvider<Dispatcher> dispatcher;

  EffectiveConfiguration(
      Environment environment, OutboxProperties outbox, ObjectProvider<Dispatcher> dispatcher) {
    this.environment = environment;
    this.outbox = outbox;
    this.dispatcher = dispatcher;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    LOG.info("Outbox relay ready; configuration in force: {}", settings());
  }

  /** Name to value, masked, sorted by name. */
  Map<String, String> settings() {
    Map<String, String> settings = new TreeMap<>();
    for (String name :
        new String[] {
          "server.address",
          "server.port",
          "spring.datasource.url",
          "spring.datasource.username",
          "spring.datasource.password",
          "spring.kafka.bootstrap-servers",
          "outbox.kafka.bootstrap-servers"
        }) {
      String value = environment.getProperty(name);
      if (value != null) {
        settings.put(name, Secrets.mask(name, value));
      }
    }
    outbox
        .getKafka()
        .getProperties()
        .forEach(
            (name, value) ->
                settings.put("outbox.kafka.properties." + name, Secrets.mask(name, value)));
    Dispatcher running = dispatcher.getIfAvailable();
    if (running != null) {
      running
          .config()
          .asMap()
          .forEach((name, value) -> settings.put("dispatcher." + name, Secrets.mask(name, value)));
    }
    return settings;
  }
}
