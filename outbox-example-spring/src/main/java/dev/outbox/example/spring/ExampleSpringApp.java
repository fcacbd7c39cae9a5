package dev.outbox.example.spring;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * A Spring Boot service on the outbox starter: {@code POST /orders} writes an order and its {@code
 * OrderCreated} event in one transaction, the starter's dispatcher publishes the event to Kafka,
 * and a consumer in the same service reads it back. Metrics on {@code /actuator/prometheus}; one
 * trace from the HTTP request through the publish to the consumer, its spans logged as they end.
 *
 * <p>Without {@code spring.datasource.url} or {@code spring.kafka.bootstrap-servers} it starts an
 * embedded PostgreSQL and an in-process Kafka broker ({@link EmbeddedServers}).
 */
@SpringBootApplication
public class ExampleSpringApp {

  private static final Logger LOG = LoggerFactory.getLogger(ExampleSpringApp.class);

  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(ExampleSpringApp.class);
    application.addListeners(new EmbeddedServers());
    application.run(args);
  }

  @EventListener
  void tellHowToTryIt(ApplicationReadyEvent ready) {
    String base =
        "http://localhost:"
            + ready.getApplicationContext().getEnvironment().getProperty("local.server.port");
    LOG.info(
        """
        Ready; press Ctrl+C to stop. Try:
          curl -s -X POST {}/orders -H 'Content-Type: application/json' -d '{"customer":"ada","amount":42.5}'
          curl -s {}/orders/<id>
          curl -s {}/actuator/prometheus | grep -E '^outbox_(events|backlog)'
          curl -s {}/actuator/outbox
          curl -s {}/actuator/health""",
        base,
        base,
        base,
        base,
        base);
  }
}
