package dev.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.spi.EventRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RecordMappingTest {

  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final KafkaPublisher publisher = KafkaPublisher.forProducer(producer);

  private ProducerRecord<String, byte[]> publishAndCapture(EventRecord event) {
    assertThat(publisher.publish(event).acknowledgement().toCompletableFuture().join()).isNull();
    assertThat(producer.history()).hasSize(1);
    return producer.history().get(0);
  }

  private static List<String> headerNames(ProducerRecord<String, byte[]> record) {
    return Arrays.stream(record.headers().toArray()).map(Header::key).toList();
  }

  @Test
  void mapsTopicKeyAndUtf8Payload() {
    ProducerRecord<String, byte[]> record = publishAndCapture(TestEvents.event());

    assertThat(record.topic()).isEqualTo("user-events");
    assertThat(record.key()).isEqualTo("user-42");
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Zoë\"}");
    assertThat(record.value()).isEqualTo("{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(record.partition()).as("left to the key-hashing partitioner").isNull();
    assertThat(record.timestamp()).as("left to the producer (send time)").isNull();
  }

  @Test
  void addsTheOutboxHeadersAsUtf8() {
    ProducerRecord<String, byte[]> record = publishAndCapture(TestEvents.event());

    assertThat(headerNames(record))
        .containsExactly(
            KafkaHeaders.EVENT_ID,
            KafkaHeaders.EVENT_TYPE,
            KafkaHeaders.AGGREGATE_TYPE,
            KafkaHeaders.AGGREGATE_ID,
            KafkaHeaders.TRACEPARENT);
    assertThat(KafkaHeaders.lastValue(record.headers(), "event_id")).isEqualTo("evt-1");
    assertThat(KafkaHeaders.lastValue(record.headers(), "event_type")).isEqualTo("UserCreated");
    assertThat(KafkaHeaders.lastValue(record.headers(), "aggregate_type")).isEqualTo("User");
    assertThat(KafkaHeaders.lastValue(record.headers(), "aggregate_id")).isEqualTo("user-42");
    assertThat(KafkaHeaders.lastValue(record.headers(), "traceparent"))
        .isEqualTo(TestEvents.TRACEPARENT);
  }

  @Test
  void writesTheCloudEventsBinaryModeHeadersWhenAsked() {
    Map<String, String> own = new LinkedHashMap<>();
    own.put("ce_id", "forged");
    own.put("tenant", "acme");
    ProducerRecord<String, byte[]> record =
        new RecordMapper("/orders-service").toRecord(TestEvents.event(TestEvents.TRACEPARENT, own));

    assertThat(KafkaHeaders.lastValue(record.headers(), "ce_specversion")).isEqualTo("1.0");
    assertThat(KafkaHeaders.lastValue(record.headers(), "ce_id")).isEqualTo("evt-1");
    assertThat(KafkaHeaders.lastValue(record.headers(), "ce_source")).isEqualTo("/orders-service");
    assertThat(KafkaHeaders.lastValue(record.headers(), "ce_type")).isEqualTo("UserCreated");
    assertThat(KafkaHeaders.lastValue(record.headers(), "ce_time"))
        .isEqualTo("2025-01-02T03:04:05Z");
    assertThat(KafkaHeaders.lastValue(record.headers(), "content-type"))
        .isEqualTo("application/json");
    assertThat(headerNames(record))
        .as("the outbox's headers first, the event's own (less the forged ce_id) last")
        .startsWith(KafkaHeaders.EVENT_ID)
        .endsWith("tenant")
        .containsOnlyOnce("ce_id");
    assertThat(headerNames(publishAndCapture(TestEvents.event())))
        .noneMatch(n -> n.startsWith("ce_"));
  }

  @Test
  void omitsTraceparentWhenTheEventHasNone() {
    ProducerRecord<String, byte[]> record = publishAndCapture(TestEvents.event(null, Map.of()));

    assertThat(record.headers().lastHeader(KafkaHeaders.TRACEPARENT)).isNull();
    assertThat(headerNames(record)).hasSize(4);
  }

  @Test
  void appendsFreeHeadersInTheirOrderAfterTheOutboxHeaders() {
    Map<String, String> free = new LinkedHashMap<>();
    free.put("tenant", "acme");
    free.put("correlation-id", "c-1ü");
    free.put("b-last", "z");
    ProducerRecord<String, byte[]> record =
        publishAndCapture(TestEvents.event(TestEvents.TRACEPARENT, free));

    assertThat(headerNames(record))
        .endsWith("traceparent", "tenant", "correlation-id", "b-last")
        .hasSize(8);
    assertThat(KafkaHeaders.lastValue(record.headers(), "correlation-id")).isEqualTo("c-1ü");
    assertThat(KafkaHeaders.lastValue(record.headers(), "tenant")).isEqualTo("acme");
  }

  @Test
  void reservedNamesWinOverFreeHeaders() {
    Map<String, String> free =
        Map.of(
            "event_id", "forged",
            "event_type", "forged",
            "aggregate_type", "forged",
            "aggregate_id", "forged",
            "tenant", "acme");

    ProducerRecord<String, byte[]> record =
        publishAndCapture(TestEvents.event(TestEvents.TRACEPARENT, free));

    assertThat(headerNames(record))
        .containsExactly(
            "event_id", "event_type", "aggregate_type", "aggregate_id", "traceparent", "tenant");
    assertThat(KafkaHeaders.lastValue(record.headers(), "event_id")).isEqualTo("evt-1");
    assertThat(KafkaHeaders.lastValue(record.headers(), "aggregate_id")).isEqualTo("user-42");
  }

  @Test
  void freeTraceparentIsDroppedEvenWhenTheEventHasNone() {
    ProducerRecord<String, byte[]> record =
        publishAndCapture(TestEvents.event(null, Map.of("traceparent", "forged")));

    assertThat(record.headers().headers(KafkaHeaders.TRACEPARENT)).isEmpty();
  }

  @Test
  void lastValueIsNullForAMissingHeader() {
    ProducerRecord<String, byte[]> record = publishAndCapture(TestEvents.event());

    assertThat(KafkaHeaders.lastValue(record.headers(), "nope")).isNull();
    assertThat(KafkaHeaders.isReserved("event_id")).isTrue();
    assertThat(KafkaHeaders.isReserved("Event_Id")).isFalse();
  }
}
