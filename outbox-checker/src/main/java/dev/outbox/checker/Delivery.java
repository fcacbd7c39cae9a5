package dev.outbox.checker;

import java.time.Instant;

/**
 * One record read back from Kafka: which event it carries and when its producer stamped it. What
 * the event is (aggregate, place in its order) the checker takes from the writers' ledger.
 */
record Delivery(String eventId, Instant publishedAt) {}
