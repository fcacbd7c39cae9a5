package dev.outbox.kafka;

import dev.outbox.spi.EventRecord;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

final class TestEvents {

  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private TestEvents() {}

  static EventRecord event() {
    return event(TRACEPARENT, Map.of());
  }

  static EventRecord event(@Nullable String traceparent, Map<String, String> headers) {
    return event("evt-1", "user-events", traceparent, headers);
  }

  static EventRecord event(String eventId, String topic) {
    return event(eventId, topic, TRACEPARENT, Map.of());
  }

  private static EventRecord event(
      String eventId, String topic, @Nullable String traceparent, Map<String, String> headers) {
    return EventRecord.builder()
        .eventId(eventId)
        .eventType("UserCreated")
        .aggregateType("User")
        .aggregateId("user-42")
        .topic(topic)
        .payload("{\"name\":\"Zoë\"}")
        .traceparent(traceparent)
        .headers(headers)
        .createdAt(Instant.parse("2025-01-02T03:04:05Z"))
        .attempt(1)
        .build();
  }
}
