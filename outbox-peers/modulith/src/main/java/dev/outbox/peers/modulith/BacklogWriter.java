package dev.outbox.peers.modulith;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.annotation.Transactional;

/** Publishes the backlog's events as an application would: in transactions, through Spring. */
public class BacklogWriter {

  private final ApplicationEventPublisher publisher;

  public BacklogWriter(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
  }

  /** Events {@code from} (inclusive) to {@code to} (exclusive), in one transaction. */
  @Transactional
  public void publish(int from, int to, int aggregates, int payloadBytes) {
    for (int i = from; i < to; i++) {
      publisher.publishEvent(PeerEvent.of(i, aggregates, payloadBytes));
    }
  }
}
