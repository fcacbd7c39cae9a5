package dev.outbox.spi;

/** What a {@link Publisher} knows about whether its broker takes events now. */
public enum BrokerAvailability {
  /** The broker answered: failed publishes were the events' own fault and count as attempts. */
  AVAILABLE,
  /** The broker did not answer: an outage, which counts no attempt against any event. */
  UNAVAILABLE,
  /** The publisher cannot tell; the dispatcher judges by the failures alone. */
  UNKNOWN
}
