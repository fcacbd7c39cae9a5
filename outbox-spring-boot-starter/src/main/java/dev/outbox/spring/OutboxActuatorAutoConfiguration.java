package dev.outbox.spring;

import dev.outbox.Dispatcher;
import java.util.Set;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The actuator's {@code outbox} endpoint and health indicator, when the application has Spring
 * Boot's actuator and a dispatcher.
 */
@AutoConfiguration(after = OutboxAutoConfiguration.class)
@ConditionalOnBean(Dispatcher.class)
public class OutboxActuatorAutoConfiguration {

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name =
          "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
  @ConditionalOnAvailableEndpoint(OutboxEndpoint.class)
  static class EndpointConfiguration {

    @Bean
    @ConditionalOnMissingBean
    OutboxEndpoint outboxEndpoint(Dispatcher dispatcher, Environment environment) {
      Binder binder = Binder.get(environment);
      return new OutboxEndpoint(
          dispatcher,
          binder.bind("management.endpoint.outbox.show-values", Show.class).orElse(Show.NEVER),
          binder
              .bind("management.endpoint.outbox.roles", Bindable.setOf(String.class))
              .orElse(Set.of()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name =
          "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("outbox")
  static class HealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "outboxHealthIndicator")
    OutboxHealthIndicator outboxHealthIndicator(
        Dispatcher dispatcher, OutboxProperties properties) {
      return new OutboxHealthIndicator(dispatcher, properties.getHealth());
    }
  }
}
