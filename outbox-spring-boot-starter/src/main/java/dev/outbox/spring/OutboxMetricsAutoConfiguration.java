package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.micrometer.OutboxMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The dispatcher's meters, when {@code outbox-micrometer} is on the class path: a {@link
 * MeterBinder} that Spring Boot binds to its registry. Exclude this class to go without them.
 */
@AutoConfiguration(after = OutboxAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, OutboxMetrics.class})
public class OutboxMetricsAutoConfiguration {

  /** Binds the dispatcher's meters when there is a dispatcher (not with outbox.enabled=false). */
  @Bean
  MeterBinder outboxMeterBinder(ObjectProvider<Dispatcher> dispatcher) {
    return registry ->
        dispatcher.ifAvailable(d -> OutboxMetrics.builder(d).build().bindTo(registry));
  }
}
