package dev.outbox.peers.modulith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;

/**
 * The application both phases run: Spring Boot's auto-configuration with Spring Modulith's JDBC
 * event publication registry and its Kafka externalization, {@link PeerEvent}s routed to the
 * benchmark's topic keyed by their aggregate.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ModulithPeerApplication {

  /** Property naming the topic the events are externalized to. */
  static final String TOPIC = "peer.topic";

  /**
   * What {@code @Externalized("topic::#{aggregate()}")} would declare, with the topic known only at
   * run time. Externalization is not serialized (Spring Modulith's default).
   */
  @Bean
  EventExternalizationConfiguration eventExternalizationConfiguration(Environment environment) {
    String topic = environment.getRequiredProperty(TOPIC);
    return EventExternalizationConfiguration.externalizing()
        .selectByType(PeerEvent.class)
        .route(PeerEvent.class, event -> RoutingTarget.forTarget(topic).andKey(event.aggregate()))
        .build();
  }

  @Bean
  BacklogWriter backlogWriter(ApplicationEventPublisher publisher) {
    return new BacklogWriter(publisher);
  }
}
