package dev.outbox.example.spring;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A downstream consumer of the {@code orders} topic, in the same service for the example's sake.
 * Each record is processed in a CONSUMER span that continues the trace from the record's {@code
 * traceparent} header (the outbox's producer span), and logged with its trace id.
 */
@Component
class OrderEventsConsumer implements SmartLifecycle {

  static final String GROUP = "outbox-example-spring";

  private static final Logger LOG = LoggerFactory.getLogger(OrderEventsConsumer.class);

  /** Reads propagated fields from Kafka headers, the last value of each. */
  private static final TextMapGetter<Headers> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
          List<String> keys = new ArrayList<>();
          headers.forEach(h -> keys.add(h.key()));
          return keys;
        }

        @Override
        public @Nullable String get(@Nullable Headers headers, String key) {
          Header header = headers == null ? null : headers.lastHeader(key);
          return header == null || header.value() == null
              ? null
              : new String(header.value(), StandardCharsets.UTF_8);
        }
      };

  private final String bootstrapServers;
  private final TextMapPropagator propagator;
  private final Tracer tracer;
  private @Nullable KafkaConsumer<String, String> consumer;
  private @Nullable Thread thread;

  OrderEventsConsumer(
      @Value("${outbox.kafka.bootstrap-servers:${spring.kafka.bootstrap-servers}}")
          String bootstrapServers,
      OpenTelemetry openTelemetry) {
    this.bootstrapServers = bootstrapServers;
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.tracer = openTelemetry.getTracer("dev.outbox.example.spring");
  }

  @Override
  public synchronized void start() {
    KafkaConsumer<String, String> started =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                GROUP,
                ConsumerConfig.CLIENT_ID_CONFIG,
                GROUP + "-consumer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer());
    Thread polling = new Thread(() -> consume(started), "orders-consumer");
    polling.setDaemon(true);
    consumer = started;
    thread = polling;
    polling.start();
  }

  private void consume(KafkaConsumer<String, String> consumer) {
    try (consumer) {
      consumer.subscribe(List.of(OrderService.TOPIC));
      while (true) {
        consumer.poll(Duration.ofSeconds(1)).forEach(this::process);
      }
    } catch (WakeupException stopping) {
      // stop() asked
    } catch (RuntimeException e) {
      LOG.error("The orders consumer stopped", e);
    }
  }

  private void process(ConsumerRecord<String, String> record) {
    Context parent = propagator.extract(Context.root(), record.headers(), HEADERS);
    String eventId = HEADERS.get(record.headers(), "event_id");
    Span span =
        tracer
            .spanBuilder("process " + record.topic())
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.system", "kafka")
            .setAttribute("messaging.operation.name", "process")
            .setAttribute("messaging.operation.type", "process")
            .setAttribute("messaging.destination.name", record.topic())
            .setAttribute("messaging.destination.partition.id", String.valueOf(record.partition()))
            .setAttribute("messaging.consumer.group.name", GROUP)
            .setAttribute("messaging.kafka.offset", record.offset())
            .setAttribute("messaging.message.id", String.valueOf(eventId))
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      LOG.info(
          "Received {} {} of Order {} from {}/{}@{}, trace {}: {}",
          HEADERS.get(record.headers(), "event_type"),
          eventId,
          record.key(),
          record.topic(),
          record.partition(),
          record.offset(),
          span.getSpanContext().getTraceId(),
          record.value());
    } finally {
      span.end();
    }
  }

  @Override
  public synchronized void stop() {
    KafkaConsumer<String, String> running = consumer;
    Thread polling = thread;
    consumer = null;
    thread = null;
    if (running == null || polling == null) {
      return;
    }
    running.wakeup();
    try {
      polling.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return thread != null;
  }
}
