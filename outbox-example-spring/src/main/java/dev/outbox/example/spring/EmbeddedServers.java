package dev.outbox.example.spring;

import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedPostgresServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL when no {@code spring.datasource.url} is configured, and a Kafka
 * broker in-process when no {@code spring.kafka.bootstrap-servers} (nor {@code
 * outbox.kafka.bootstrap-servers}) is, and points Spring at them; so a fresh clone runs with
 * nothing installed. They are stopped after Spring closed the application (a shutdown handler of
 * Spring's own shutdown hook), so the dispatcher and the consumer stop while their servers are
 * still there.
 */
final class EmbeddedServers implements ApplicationListener<SpringApplicationEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

  private @Nullable EmbeddedPostgresServer postgres;
  private @Nullable EmbeddedKafka kafka;

  @Override
  public void onApplicationEvent(SpringApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      start(prepared.getEnvironment());
    } else if (event instanceof ApplicationFailedEvent) {
      close();
    }
  }

  private void start(ConfigurableEnvironment environment) {
    Map<String, Object> properties = new LinkedHashMap<>();
    try {
      if (!environment.containsProperty("spring.datasource.url")) {
        LOG.info("No spring.datasource.url: starting an embedded PostgreSQL");
        EmbeddedPostgresServer started = EmbeddedPostgresServer.start();
        postgres = started;
        started.detachShutdownHook(); // stopped by close(), after the application
        properties.put("spring.datasource.url", started.jdbcUrl());
        properties.put("spring.datasource.username", started.user());
        properties.put("spring.datasource.password", started.password());
      }
      if (!environment.containsProperty("spring.kafka.bootstrap-servers")
          && !environment.containsProperty("outbox.kafka.bootstrap-servers")) {
        LOG.info("No spring.kafka.bootstrap-servers: starting a Kafka broker in-process");
        EmbeddedKafka started = EmbeddedKafka.start();
        kafka = started;
        started.detachShutdownHook();
        started.createTopic(OrderService.TOPIC, 3);
        properties.put("spring.kafka.bootstrap-servers", started.bootstrapServers());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (!properties.isEmpty()) {
      environment
          .getPropertySources()
          .addLast(new MapPropertySource("embeddedServers", properties));
      SpringApplication.getShutdownHandlers().add(this::close);
    }
  }

  /** Stops the servers this class started; calling it again does nothing. */
  synchronized void close() {
    EmbeddedKafka startedKafka = kafka;
    kafka = null;
    if (startedKafka != null) {
      startedKafka.close();
    }
    EmbeddedPostgresServer startedPostgres = postgres;
    postgres = null;
    if (startedPostgres != null) {
      startedPostgres.close();
    }
  }
}
