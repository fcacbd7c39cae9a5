package dev.outbox.internal;

import dev.outbox.spi.EventRecord;
import java.time.Instant;

/**
 * An event this dispatcher holds the lease on: its row id and what gets published.
 *
 * @param waitingSince where its commit-to-acknowledgement latency counts from: its last replay if
 *     it is a replayed dead letter, otherwise its {@code created_at}
 */
public record ClaimedEvent(long id, int attemptsBefore, EventRecord record, Instant waitingSince) {

  /** Events of one aggregate must be published in row order. */
  public String aggregateKey() {
    return key(record.aggregateType(), record.aggregateId());
  }

  static String key(String aggregateType, String aggregateId) {
    return aggregateType + "\u0000" + aggregateId;
  }
}
