package dev.outbox;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An event that failed for good, as kept in the dead-letter table.
 *
 * @param id the dead letter's row id, for paging
 * @param originalId the event's row id in the outbox, its place in its aggregate's order
 * @param attempts publish attempts made
 * @param lastError the error of the last attempt
 * @param createdAt when the event was written
 * @param deadLetteredAt when it was moved here; retention counts from this time
 */
public record DeadLetter(
    long id,
    long originalId,
    String eventId,
    String eventType,
    String aggregateType,
    String aggregateId,
    String topic,
    String payload,
    @Nullable String traceparent,
    Map<String, String> headers,
    int attempts,
    @Nullable String lastError,
    Instant createdAt,
    Instant deadLetteredAt) {}
