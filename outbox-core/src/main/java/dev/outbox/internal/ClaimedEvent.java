package dev.outbox.internal;

import dev.outbox.spi.EventRecord;

/** An event this dispatcher holds the lease on: its row id and what gets published. */
public record ClaimedEvent(long id, int attemptsBefore, EventRecord record) {

  /** Events of one aggregate must be published in row order. */
  public String aggregateKey() {
    return key(record.aggregateType(), record.aggregateId());
  }

  static String key(String aggregateType, String aggregateId) {
    return aggregateType + "\u0000" + aggregateId;
  }
}
