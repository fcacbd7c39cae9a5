package dev.outbox.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A committed outbox event as the dispatcher hands it to a {@link Publisher}.
 *
 * @param eventId unique id of the event; consumers use it to drop duplicates
 * @param eventType for example {@code UserCreated}
 * @param aggregateType for example {@code User}
 * @param aggregateId the aggregate instance; events of one aggregate are published in write order
 * @param topic destination topic
 * @param payload the JSON document exactly as it was written
 * @param traceparent W3C trace context, or {@code null} when the event carries none
 * @param headers free headers given by the application, in the order it gave them (never {@code
 *     null})
 * @param createdAt when the event was written
 * @param attempt 1 for the first publish attempt, 2 for the first retry, and so on
 */
public record EventRecord(
    String eventId,
    String eventType,
    String aggregateType,
    String aggregateId,
    String topic,
    String payload,
    @Nullable String traceparent,
    Map<String, String> headers,
    Instant createdAt,
    int attempt) {

  public EventRecord {
    Map<String, String> ordered = new LinkedHashMap<>();
    headers.forEach(
        (name, value) ->
            ordered.put(
                Objects.requireNonNull(name, "header name"),
                Objects.requireNonNull(value, () -> "value of header " + name)));
    headers = Collections.unmodifiableMap(ordered);
  }
}
