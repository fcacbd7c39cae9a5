package dev.outbox.opentelemetry;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.ForwardingPublisher;
import dev.outbox.spi.Publication;
import dev.outbox.spi.Publication.Placement;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.Publisher;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * A publisher whose every publish is a PRODUCER span, child of the trace context the event was
 * saved with, and whose records carry that span's context on to their consumers.
 */
final class TracingPublisher extends ForwardingPublisher {

  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> KAFKA_KEY =
      AttributeKey.stringKey("messaging.kafka.message.key");
  static final AttributeKey<String> PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  static final AttributeKey<Long> KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** Reads the trace context an event was saved with. */
  private static final TextMapGetter<EventRecord> FROM_EVENT =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(EventRecord event) {
          return List.of("traceparent", OutboxTracing.TRACESTATE);
        }

        @Override
        public @Nullable String get(@Nullable EventRecord event, String key) {
          if (event == null) {
            return null;
          }
          return key.equals("traceparent") ? event.traceparent() : event.headers().get(key);
        }
      };

  private final Tracer tracer;
  private final String system;

  TracingPublisher(Publisher delegate, Tracer tracer, String system) {
    super(delegate);
    this.tracer = tracer;
    this.system = system;
  }

  /**
   * Publishes through the wrapped publisher within a PRODUCER span, ended (with the partition and
   * offset when told, or the error) before the publication's acknowledgement completes; the
   * publication withdraws and tells its placement as the wrapped one does.
   */
  @Override
  public Publication publish(EventRecord event) {
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), event, FROM_EVENT);
    var span =
        tracer
            .spanBuilder("send " + event.topic())
            .setParent(parent)
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute(SYSTEM, system)
            .setAttribute(OPERATION_NAME, "send")
            .setAttribute(OPERATION_TYPE, "send")
            .setAttribute(DESTINATION, event.topic())
            .setAttribute(MESSAGE_ID, event.eventId());
    if (system.equals("kafka")) {
      span.setAttribute(KAFKA_KEY, event.aggregateId());
    }
    Span producer = span.startSpan();
    Publication sent;
    try {
      sent = super.publish(carrying(event, parent.with(producer)));
    } catch (RuntimeException e) {
      end(producer, e);
      throw e;
    }
    return sent.whenComplete(
        (placement, error) -> {
          placement.ifPresent(p -> placedAt(producer, p));
          end(producer, error);
        });
  }

  private void placedAt(Span producer, Placement placement) {
    producer.setAttribute(PARTITION, String.valueOf(placement.partition()));
    if (system.equals("kafka")) {
      producer.setAttribute(KAFKA_OFFSET, placement.offset());
    }
  }

  /** The event as it goes out: with the producer span's context in place of the saved one. */
  private static EventRecord carrying(EventRecord event, Context context) {
    Map<String, String> carrier = new HashMap<>();
    W3CTraceContextPropagator.getInstance().inject(context, carrier, OutboxTracing.INTO_MAP);
    Map<String, String> headers = new LinkedHashMap<>(event.headers());
    headers.remove(OutboxTracing.TRACESTATE);
    String tracestate = carrier.get(OutboxTracing.TRACESTATE);
    if (tracestate != null) {
      headers.put(OutboxTracing.TRACESTATE, tracestate);
    }
    return event.toBuilder()
        .traceparent(carrier.getOrDefault("traceparent", event.traceparent()))
        .headers(headers)
        .build();
  }

  private static void end(Span span, @Nullable Throwable error) {
    if (error != null) {
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      Throwable reported =
          cause instanceof PublishException && cause.getCause() != null ? cause.getCause() : cause;
      span.setAttribute(ERROR_TYPE, reported.getClass().getName());
      span.setStatus(StatusCode.ERROR, cause.getMessage());
    }
    span.end();
  }
}
