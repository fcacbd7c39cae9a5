package dev.outbox.example.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.outbox.embedded.KafkaRecords;
import dev.outbox.kafka.KafkaHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.UseMainMethod;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.client.RestClient;

/**
 * The example as it runs: started through its main method, so on the embedded PostgreSQL and the
 * in-process Kafka broker it starts itself, and driven over HTTP.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    useMainMethod = UseMainMethod.ALWAYS,
    properties = {
      "outbox.poll-interval=100ms",
      "management.opentelemetry.tracing.export.schedule-delay=100ms",
      "spring.main.banner-mode=off"
    })
@Import(ExampleSpringAppTest.Spans.class)
// Closed after this class, so the embedded servers, stopped at exit after the application, outlive
// it.
@DirtiesContext
class ExampleSpringAppTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern PUBLISHED =
      Pattern.compile(
          "^outbox_events_published_total\\{[^}]*topic=\"orders\"[^}]*\\} (\\S+)$",
          Pattern.MULTILINE);
  private static final Pattern METER = Pattern.compile("^# TYPE (outbox_\\w+) ", Pattern.MULTILINE);

  /** The finished spans, beside the example's own SpanLogger. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Spans {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
      return InMemorySpanExporter.create();
    }
  }

  record Response(HttpStatusCode status, String body) {}

  @LocalServerPort int port;
  @Autowired InMemorySpanExporter spans;
  @Autowired JdbcTemplate jdbc;

  @Value("${spring.kafka.bootstrap-servers}")
  String bootstrapServers;

  @Test
  void anOrderIsPublishedCountedAndTracedFromTheRequestToTheConsumer() {
    Response created = post("{\"customer\":\"ada\",\"amount\":42.5}");
    assertThat(created.status()).isEqualTo(HttpStatus.CREATED);
    String orderId = JsonPath.read(created.body(), "$.id");

    ConsumerRecord<String, String> record = publishedEventOf(orderId);
    String eventId = KafkaHeaders.lastValue(record.headers(), KafkaHeaders.EVENT_ID);
    assertThat(KafkaHeaders.lastValue(record.headers(), KafkaHeaders.EVENT_TYPE))
        .isEqualTo("OrderCreated");
    assertThat(record.value())
        .isEqualTo("{\"orderId\":\"" + orderId + "\",\"customer\":\"ada\",\"amount\":42.5}");

    // One trace: the HTTP request, the outbox's publish (a child of the request, where the event
    // was saved), the consumer's processing (a child of the publish, from the record's
    // traceparent).
    SpanData consumer =
        await()
            .atMost(TIMEOUT)
            .until(() -> span(SpanKind.CONSUMER, "process orders", eventId), Optional::isPresent)
            .orElseThrow();
    SpanData producer =
        await()
            .atMost(TIMEOUT)
            .until(() -> span(SpanKind.PRODUCER, "send orders", eventId), Optional::isPresent)
            .orElseThrow();
    SpanData request =
        await()
            .atMost(TIMEOUT)
            .until(() -> spanWithId(producer.getParentSpanId()), Optional::isPresent)
            .orElseThrow();
    assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(request.getName()).isEqualTo("http post /orders");
    assertThat(request.getParentSpanContext().isValid()).isFalse();
    assertThat(producer.getTraceId()).isEqualTo(request.getTraceId());
    assertThat(consumer.getTraceId()).isEqualTo(request.getTraceId());
    assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
    assertThat(producer.getAttributes().get(AttributeKey.stringKey("messaging.system")))
        .isEqualTo("kafka");
    assertThat(producer.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
        .isEqualTo("orders");
    assertThat(producer.getAttributes().get(AttributeKey.stringKey("messaging.operation.type")))
        .isEqualTo("send");
    assertThat(producer.getAttributes().get(AttributeKey.stringKey("messaging.message.id")))
        .isEqualTo(eventId);
    assertThat(producer.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset")))
        .isEqualTo(record.offset());
    assertThat(
            producer
                .getAttributes()
                .get(AttributeKey.stringKey("messaging.destination.partition.id")))
        .isEqualTo(String.valueOf(record.partition()));

    // Every committed order has one event: the counter reaches their number (the other test's too).
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              String metrics = get("/actuator/prometheus");
              Matcher published = PUBLISHED.matcher(metrics);
              assertThat(published.find())
                  .as("outbox_events_published_total{topic=orders}")
                  .isTrue();
              assertThat(Double.parseDouble(published.group(1))).isEqualTo(committedOrders());
              assertThat(meters(metrics))
                  .contains(
                      "outbox_backlog",
                      "outbox_dead_letters",
                      "outbox_oldest_waiting_age_seconds",
                      "outbox_dispatcher_running",
                      "outbox_worker_failing",
                      "outbox_commit_to_ack_seconds",
                      "outbox_claim_duration_seconds",
                      "outbox_events_failed_attempts_total",
                      "outbox_events_dead_lettered_total");
            });

    // The actuator's outbox endpoint: the dispatcher, its workers and what it published.
    String outbox = get("/actuator/outbox");
    assertThat(JsonPath.<Boolean>read(outbox, "$.running")).isTrue();
    assertThat(JsonPath.<Integer>read(outbox, "$.totals.published")).isEqualTo(committedOrders());
    assertThat(JsonPath.<List<String>>read(outbox, "$.workers[*].name")).hasSize(4);
  }

  @Test
  void aRejectedOrderRollsBackWithItsEventAndIsNeverPublished() {
    // Over the credit limit: the order and its event were written, then the transaction rolled
    // back.
    Response overLimit = post("{\"customer\":\"grace\",\"amount\":5000}");
    assertThat(overLimit.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(overLimit.body()).contains("credit limit of 1000 exceeded");
    Response notPositive = post("{\"customer\":\"grace\",\"amount\":0}");
    assertThat(notPositive.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(notPositive.body()).contains("amount must be positive");
    assertThat(ordersOf("grace")).isZero();
    assertThat(outboxRowsOf("grace")).isZero();

    // Accepted only because the 5000 did not stay: then its event is the only one of grace's.
    Response accepted = post("{\"customer\":\"grace\",\"amount\":10}");
    assertThat(accepted.status()).isEqualTo(HttpStatus.CREATED);
    String orderId = JsonPath.read(accepted.body(), "$.id");
    publishedEventOf(orderId);
    assertThat(
            KafkaRecords.read(
                    bootstrapServers, List.of(OrderService.TOPIC), committedOrders(), TIMEOUT)
                .stream()
                .filter(r -> r.value().contains("\"customer\":\"grace\"")))
        .extracting(ConsumerRecord::key)
        .containsExactly(orderId);
    assertThat(outboxRowsOf("grace")).isEqualTo(1);
  }

  /** The record of the order's event, once every committed order's event reached Kafka. */
  private ConsumerRecord<String, String> publishedEventOf(String orderId) {
    List<ConsumerRecord<String, String>> records =
        KafkaRecords.read(
            bootstrapServers, List.of(OrderService.TOPIC), committedOrders(), TIMEOUT);
    return records.stream()
        .filter(r -> orderId.equals(r.key()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no event of order " + orderId + " in " + records));
  }

  private Optional<SpanData> span(SpanKind kind, String name, String messageId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == kind && s.getName().equals(name))
        .filter(
            s ->
                messageId.equals(
                    s.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))))
        .findFirst();
  }

  private Optional<SpanData> spanWithId(String spanId) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getSpanId().equals(spanId))
        .findFirst();
  }

  private static Set<String> meters(String prometheus) {
    return METER.matcher(prometheus).results().map(m -> m.group(1)).collect(Collectors.toSet());
  }

  private int committedOrders() {
    return count("SELECT COUNT(*) FROM orders");
  }

  private int ordersOf(String customer) {
    return count("SELECT COUNT(*) FROM orders WHERE customer = ?", customer);
  }

  private int outboxRowsOf(String customer) {
    return count(
        "SELECT COUNT(*) FROM outbox_events WHERE payload LIKE ?",
        "%\"customer\":\"" + customer + "\"%");
  }

  private int count(String sql, Object... arguments) {
    Integer count = jdbc.queryForObject(sql, Integer.class, arguments);
    return count == null ? 0 : count;
  }

  private RestClient http() {
    return RestClient.create("http://localhost:" + port);
  }

  private Response post(String json) {
    return http()
        .post()
        .uri("/orders")
        .contentType(MediaType.APPLICATION_JSON)
        .body(json)
        .exchange(
            (request, response) ->
                new Response(
                    response.getStatusCode(),
                    new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
  }

  private String get(String path) {
    String body = http().get().uri(path).retrieve().body(String.class);
    return body == null ? "" : body;
  }
}
