package dev.outbox.kafka;

import dev.outbox.spi.EventRecord;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Turns an outbox event into the Kafka record {@link KafkaPublisher} sends: the outbox's headers,
 * with a CloudEvents source also the CloudEvents binary-mode headers, then the event's own.
 */
final class RecordMapper {

  /** The CloudEvents Kafka binding's headers this mapper writes; an event's own of these go. */
  static final Set<String> CLOUD_EVENTS_HEADERS =
      Set.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "content-type");

  private final @Nullable String cloudEventsSource;

  /**
   * @param cloudEventsSource the {@code ce_source} of every record, or {@code null} for no
   *     CloudEvents headers
   */
  RecordMapper(@Nullable String cloudEventsSource) {
    this.cloudEventsSource = cloudEventsSource;
  }

  ProducerRecord<String, byte[]> toRecord(EventRecord event) {
    RecordHeaders headers = new RecordHeaders();
    add(headers, KafkaHeaders.EVENT_ID, event.eventId());
    add(headers, KafkaHeaders.EVENT_TYPE, event.eventType());
    add(headers, KafkaHeaders.AGGREGATE_TYPE, event.aggregateType());
    add(headers, KafkaHeaders.AGGREGATE_ID, event.aggregateId());
    add(headers, KafkaHeaders.TRACEPARENT, event.traceparent());
    String source = cloudEventsSource;
    if (source != null) {
      add(headers, "ce_specversion", "1.0");
      add(headers, "ce_id", event.eventId());
      add(headers, "ce_source", source);
      add(headers, "ce_type", event.eventType());
      add(headers, "ce_time", DateTimeFormatter.ISO_INSTANT.format(event.createdAt()));
      add(headers, "content-type", "application/json");
    }
    // In the order the application gave them.
    for (Map.Entry<String, String> header : event.headers().entrySet()) {
      // OutboxEvent refuses reserved names, but a row written with plain SQL may carry one. Dropped
      // rather than appended: consumers read lastHeader(), so a duplicate would win.
      String name = header.getKey();
      if (!KafkaHeaders.isReserved(name)
          && !(source != null && CLOUD_EVENTS_HEADERS.contains(name))) {
        add(headers, name, header.getValue());
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
