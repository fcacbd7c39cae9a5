package dev.outbox.opentelemetry;

import dev.outbox.OutboxEvent;
import dev.outbox.spi.Publisher;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Traces events from the transaction that saved them, through the outbox, to their consumers, with
 * the OpenTelemetry API alone (bring your own SDK or agent).
 *
 * <pre>{@code
 * OutboxTracing tracing = OutboxTracing.create(openTelemetry);
 * OutboxWriter writer = OutboxWriter.builder().beforeSave(tracing::withCurrentContext).build();
 * Dispatcher dispatcher = Dispatcher.builder(dataSource)
 *     .publisher(tracing.traced(KafkaPublisher.builder()....build()))
 *     .build();
 * }</pre>
 *
 * <p>At save, an event without a trace context takes the current one ({@code traceparent}, and
 * {@code tracestate} as a header of that name when there is one). At publish, a PRODUCER span named
 * {@code send <topic>}, child of that context, wraps the publish with the messaging semantic
 * conventions' attributes, and the record goes out with the producer span's own {@code
 * traceparent}, so the consumer's span continues the trace.
 */
public final class OutboxTracing {

  /** The header that carries the W3C {@code tracestate} beside the event's traceparent. */
  public static final String TRACESTATE = "tracestate";

  static final String INSTRUMENTATION = "dev.outbox";

  /** Writes a propagated field into a map carrier. */
  static final TextMapSetter<Map<String, String>> INTO_MAP =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.put(key, value);
        }
      };

  private final Tracer tracer;
  private final String messagingSystem;

  private OutboxTracing(OpenTelemetry openTelemetry, String messagingSystem) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
    this.messagingSystem = messagingSystem;
  }

  /** Tracing for events published to Kafka ({@code messaging.system=kafka}). */
  public static OutboxTracing create(OpenTelemetry openTelemetry) {
    return create(openTelemetry, "kafka");
  }

  /**
   * Tracing for events published to another broker.
   *
   * @param messagingSystem the {@code messaging.system} attribute, as the semantic conventions name
   *     the broker ({@code rabbitmq}, {@code pulsar}, …)
   */
  public static OutboxTracing create(OpenTelemetry openTelemetry, String messagingSystem) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    Objects.requireNonNull(messagingSystem, "messagingSystem");
    if (messagingSystem.isBlank()) {
      throw new IllegalArgumentException("messagingSystem must not be blank");
    }
    return new OutboxTracing(openTelemetry, messagingSystem);
  }

  /**
   * {@code event} with the current trace context, if it has none of its own and a valid span is
   * current; otherwise {@code event} itself. Meant for {@code OutboxWriter.Builder.beforeSave}.
   */
  public OutboxEvent withCurrentContext(OutboxEvent event) {
    if (event.traceparent() != null) {
      return event;
    }
    Map<String, String> carrier = new HashMap<>();
    W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, INTO_MAP);
    String traceparent = carrier.get("traceparent");
    if (traceparent == null) {
      return event;
    }
    OutboxEvent.Builder traced = event.toBuilder().traceparent(traceparent);
    String tracestate = carrier.get(TRACESTATE);
    if (tracestate != null && !event.headers().containsKey(TRACESTATE)) {
      traced.header(TRACESTATE, tracestate);
    }
    return traced.build();
  }

  /** {@code publisher}, each publish of which is a PRODUCER span of the event's trace. */
  public Publisher traced(Publisher publisher) {
    return new TracingPublisher(
        Objects.requireNonNull(publisher, "publisher"), tracer, messagingSystem);
  }
}
