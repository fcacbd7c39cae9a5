package dev.outbox.kafka;

import dev.outbox.spi.EventRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/** Turns an outbox event into the Kafka record {@link KafkaPublisher} sends. */
final class RecordMapper {

  private RecordMapper() {}

  static ProducerRecord<String, byte[]> toRecord(EventRecord event) {
    RecordHeaders headers = new RecordHeaders();
    add(headers, KafkaHeaders.EVENT_ID, event.eventId());
    add(headers, KafkaHeaders.EVENT_TYPE, event.eventType());
    add(headers, KafkaHeaders.AGGREGATE_TYPE, event.aggregateType());
    add(headers, KafkaHeaders.AGGREGATE_ID, event.aggregateId());
    add(headers, KafkaHeaders.TRACEPARENT, event.traceparent());
    // In the order the application gave them.
    for (Map.Entry<String, String> header : event.headers().entrySet()) {
      // OutboxEvent refuses reserved names, but a row written with plain SQL may carry one. Dropped
      // rather than appended: consumers read lastHeader(), so a duplicate would win.
      if (!KafkaHeaders.isReserved(header.getKey())) {
        add(headers, header.getKey(), header.getValue());
      }
    }
    // Partition and timestamp are left to the producer: the default partitioner hashes the key,
    // which keeps one aggregate on one partition, and a send-time timestamp keeps an event that
    // waited in the outbox for days from falling straight out of time-based retention.
    return new ProducerRecord<>(
        event.topic(),
        null,
        null,
        event.aggregateId(),
        event.payload().getBytes(StandardCharsets.UTF_8),
        headers);
  }

  private static void add(RecordHeaders headers, String name, @Nullable String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
