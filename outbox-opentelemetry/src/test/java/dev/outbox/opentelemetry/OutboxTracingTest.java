package dev.outbox.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publication;
import dev.outbox.spi.Publication.Placement;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.Publisher;
import dev.outbox.test.RecordingPublisher;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One trace from the request that saved an event, through the producer span of its publish, to the
 * consumer's span, read back from the SDK's in-memory exporter.
 */
class OutboxTracingTest {

  private static final TextMapGetter<EventRecord> FROM_RECORD =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(EventRecord record) {
          return List.of("traceparent", "tracestate");
        }

        @Override
        public @Nullable String get(@Nullable EventRecord record, String key) {
          if (record == null) {
            return null;
          }
          return key.equals("traceparent") ? record.traceparent() : record.headers().get(key);
        }
      };

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final OpenTelemetry openTelemetry =
      OpenTelemetrySdk.builder()
          .setTracerProvider(tracerProvider)
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private final Tracer tracer = openTelemetry.getTracer("test");
  private final OutboxTracing tracing = OutboxTracing.create(openTelemetry);
  private final JdbcDataSource dataSource = new JdbcDataSource();
  private final OutboxWriter writer =
      OutboxWriter.builder().beforeSave(tracing::withCurrentContext).build();
  private final RecordingPublisher publisher = new RecordingPublisher();
  private final Dispatcher dispatcher;

  OutboxTracingTest() {
    dataSource.setURL("jdbc:h2:mem:tracing-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(tracing.traced(publisher))
            .createSchema(true)
            .pollInterval(Duration.ofMillis(20))
            .build();
    dispatcher.start();
  }

  @AfterEach
  void close() {
    dispatcher.close();
    tracerProvider.close();
  }

  private void save(OutboxEvent event) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      writer.save(c, event);
      c.commit();
    }
  }

  private static OutboxEvent order(String id) {
    return OutboxEvent.builder()
        .eventId(id)
        .eventType("OrderPlaced")
        .aggregateType("Order")
        .aggregateId("order-" + id)
        .topic("orders")
        .payload(Map.of("id", id))
        .build();
  }

  private static EventRecord record(String id) {
    return EventRecord.builder()
        .eventId(id)
        .eventType("OrderPlaced")
        .aggregateType("Order")
        .aggregateId("order-" + id)
        .topic("orders")
        .payload("{}")
        .traceparent(null)
        .headers(Map.of())
        .createdAt(Instant.now())
        .attempt(1)
        .build();
  }

  private SpanData span(String name) {
    await()
        .until(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(name)));
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void oneTraceFromTheRequestThroughTheProducerSpanToTheConsumer() throws Exception {
    Span request = tracer.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope ignored = request.makeCurrent()) {
      save(order("e-1"));
    } finally {
      request.end();
    }

    EventRecord delivered = publisher.awaitDelivered(1, Duration.ofSeconds(10)).get(0);
    SpanData producer = span("send orders");
    Context received =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), delivered, FROM_RECORD);
    Span consumer =
        tracer
            .spanBuilder("process orders")
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(received)
            .startSpan();
    consumer.end();

    String traceId = request.getSpanContext().getTraceId();
    assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(producer.getTraceId()).isEqualTo(traceId);
    assertThat(producer.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
    assertThat(producer.getAttributes().asMap())
        .containsEntry(TracingPublisher.SYSTEM, "kafka")
        .containsEntry(TracingPublisher.OPERATION_NAME, "send")
        .containsEntry(TracingPublisher.OPERATION_TYPE, "send")
        .containsEntry(TracingPublisher.DESTINATION, "orders")
        .containsEntry(TracingPublisher.MESSAGE_ID, "e-1")
        .containsEntry(TracingPublisher.KAFKA_KEY, "order-e-1");
    assertThat(producer.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(delivered.traceparent())
        .as("the record carries the producer span")
        .startsWith("00-" + traceId + "-" + producer.getSpanId() + "-");
    SpanData process = span("process orders");
    assertThat(process.getTraceId()).isEqualTo(traceId);
    assertThat(process.getParentSpanId()).isEqualTo(producer.getSpanId());
  }

  @Test
  void theProducerSpanTellsThePartitionAndOffsetThePublisherWasToldAndKeepsThePublicationPlaced() {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    Publisher placing =
        event ->
            Publication.of(acknowledged)
                .placedBy(
                    () ->
                        acknowledged.isDone()
                            ? Optional.of(new Placement(2, 41))
                            : Optional.empty());
    Publication traced = tracing.traced(placing).publish(record("e-3"));
    acknowledged.complete(null);

    SpanData producer = span("send orders");
    assertThat(producer.getAttributes().asMap())
        .containsEntry(TracingPublisher.PARTITION, "2")
        .containsEntry(TracingPublisher.KAFKA_OFFSET, 41L);
    assertThat(traced.placement()).contains(new Placement(2, 41));
  }

  @Test
  void aTracedPublishStillQueuedInTheWrappedPublisherCanBeWithdrawn() {
    RecordingPublisher queueing = new RecordingPublisher();
    CompletableFuture<Void> queued = new CompletableFuture<>();
    queueing.behave(e -> queued);

    Publication traced = tracing.traced(queueing).publish(record("e-4"));

    assertThat(traced.withdraw()).isTrue();
    assertThat(queued).isCancelled();
    assertThat(traced.acknowledgement().toCompletableFuture()).isCompletedExceptionally();
    assertThat(span("send orders").hasEnded()).isTrue();
  }

  @Test
  void aFailedPublishIsAnErrorSpanWithTheErrorType() throws Exception {
    publisher.behave(
        e ->
            CompletableFuture.failedFuture(
                PublishException.permanent("too large", new IllegalArgumentException("big"))));
    Span request = tracer.spanBuilder("POST /orders").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      save(order("e-2"));
    } finally {
      request.end();
    }

    SpanData producer = span("send orders");
    assertThat(producer.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(producer.getAttributes().asMap())
        .containsEntry(TracingPublisher.ERROR_TYPE, IllegalArgumentException.class.getName());
  }

  @Test
  void anEventSavedOutsideASpanHasNoTraceAndOneWithItsOwnKeepsIt() {
    OutboxEvent untraced = order("e-3");
    OutboxEvent own =
        order("e-4").toBuilder()
            .trace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")
            .build();

    assertThat(tracing.withCurrentContext(untraced).traceparent()).isNull();
    Span request = tracer.spanBuilder("POST /orders").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      assertThat(tracing.withCurrentContext(own)).isSameAs(own);
      assertThat(tracing.withCurrentContext(untraced).traceId())
          .isEqualTo(request.getSpanContext().getTraceId());
    } finally {
      request.end();
    }
  }
}
