package dev.outbox.benchmarks;

import dev.outbox.OutboxEvent;

/** The benchmark's event: about the requested size, on one topic. */
final class Events {

  static final String TOPIC = "bench-events";

  private Events() {}

  static OutboxEvent event(String aggregateId, long sequence, String filler) {
    return OutboxEvent.builder()
        .eventType("BenchEvent")
        .aggregateType("Bench")
        .aggregateId(aggregateId)
        .topic(TOPIC)
        .payloadJson("{\"seq\":" + sequence + ",\"data\":\"" + filler + "\"}")
        .build();
  }
}
