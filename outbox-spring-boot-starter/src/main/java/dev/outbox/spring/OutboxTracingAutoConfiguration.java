package dev.outbox.spring;

import dev.outbox.OutboxWriter;
import dev.outbox.opentelemetry.OutboxTracing;
import dev.outbox.spi.Publisher;
import io.opentelemetry.api.OpenTelemetry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Tracing, when {@code outbox-opentelemetry} is on the class path and the application has an {@link
 * OpenTelemetry} bean: a saved event carries the current trace, and each publish is a producer span
 * in it. Exclude this class to go without.
 */
@AutoConfiguration(before = OutboxAutoConfiguration.class)
@ConditionalOnClass({OpenTelemetry.class, OutboxTracing.class})
public class OutboxTracingAutoConfiguration {

  /** Both hooks on one {@link OutboxTracing}, when the application has an OpenTelemetry. */
  @Bean
  TracingHooks outboxTracingHooks(ObjectProvider<OpenTelemetry> openTelemetry) {
    OpenTelemetry otel = openTelemetry.getIfAvailable();
    return new TracingHooks(otel == null ? null : OutboxTracing.create(otel));
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
