package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxWriter;
import dev.outbox.micrometer.OutboxMetrics;
import dev.outbox.opentelemetry.OutboxTracing;
import dev.outbox.spi.Publisher;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opentelemetry.api.OpenTelemetry;
import org.jspecify.annotations.Nullable;
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

    /** Both hooks on one {@link OutboxTracing}, when the application has an OpenTelemetry. */
    @Bean
    TracingHooks outboxTracingHooks(ObjectProvider<OpenTelemetry> openTelemetry) {
      OpenTelemetry otel = openTelemetry.getIfAvailable();
      return new TracingHooks(otel == null ? null : OutboxTracing.create(otel));
    }
  }

  /** Captures the trace at save and wraps the publisher in producer spans; nothing without one. */
  static final class TracingHooks implements OutboxWriterCustomizer, PublisherCustomizer {
    private final @Nullable OutboxTracing tracing;

    TracingHooks(@Nullable OutboxTracing tracing) {
      this.tracing = tracing;
    }

    @Override
    public void customize(OutboxWriter.Builder builder) {
      if (tracing != null) {
        builder.beforeSave(tracing::withCurrentContext);
      }
    }

    @Override
    public Publisher customize(Publisher publisher) {
      return tracing == null ? publisher : tracing.traced(publisher);
    }
  }
}
