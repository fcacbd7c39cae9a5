/**
 * OpenTelemetry tracing for the outbox: {@link dev.outbox.opentelemetry.OutboxTracing} captures the
 * current trace context when an event is saved, and wraps a publisher so that each publish is a
 * PRODUCER span of that trace, carried on to the consumer by the record's {@code traceparent}.
 */
@NullMarked
package dev.outbox.opentelemetry;

import org.jspecify.annotations.NullMarked;
