package dev.outbox.checker;

import java.time.Instant;

/**
 * One record read back from Kafka.
 *
 * @param sequence the writer's sequence number of the event in its aggregate, from its header
 */
record Delivery(String eventId, String aggregateId, long sequence, Instant publishedAt) {}
