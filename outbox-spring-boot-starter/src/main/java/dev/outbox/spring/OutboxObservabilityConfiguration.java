package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.micrometer.OutboxMetrics;
import dev.outbox.opentelemetry.OutboxTracing;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics and tracing, when their modules are on the class path: {@code outbox-micrometer}'s meters
 * as a {@link MeterBinder} (bound by Spring Boot to its registry), and {@code
 * outbox-opentelemetry}'s trace capture and producer spans on the application's {@link
 * OpenTelemetry}.
 */
final class OutboxObservabilityConfiguration {

  private OutboxObservabilityConfiguration() {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterBinder.class, OutboxMetrics.class})
  static class Metrics {

    /** Binds the dispatcher's meters when there is a dispatcher (not with outbox.enabled=false). */
    @Bean
    MeterBinder outboxMeterBinder(ObjectProvider<Dispatcher> dispatcher) {
      return registry ->
          dispatcher.ifAvailable(d -> OutboxMetrics.builder(d).build().bindTo(registry));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({OpenTelemetry.class, OutboxTracing.class})
  static class Tracing {

    @Bean
    OutboxWriterCustomizer outboxTraceCapture(ObjectProvider<OpenTelemetry> openTelemetry) {
      return builder ->
          openTelemetry.ifAvailable(
              otel -> builder.beforeSave(OutboxTracing.create(otel)::withCurrentContext));
    }

    @Bean
    PublisherCustomizer outboxProducerSpans(ObjectProvider<OpenTelemetry> openTelemetry) {
      return publisher -> {
        OpenTelemetry otel = openTelemetry.getIfAvailable();
        return otel == null ? publisher : OutboxTracing.create(otel).traced(publisher);
      };
    }
  }
}
