/**
 * Kafka delivery for the outbox: {@link dev.outbox.kafka.KafkaPublisher} publishes each event with
 * an idempotent producer, keyed by aggregate id, and {@link dev.outbox.kafka.KafkaHeaders} names
 * the headers consumers can read.
 */
@NullMarked
package dev.outbox.kafka;

import org.jspecify.annotations.NullMarked;
