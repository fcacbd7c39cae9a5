package dev.outbox.peers.modulith;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.outbox.peers.PeerEvents;

/**
 * One event of the backlog, published with Spring's {@code ApplicationEventPublisher}. Spring
 * Modulith stores it as JSON in its registry and externalizes it as JSON, which is exactly {@link
 * PeerEvents#payload}: {@code {"aggregate":"agg-7","seq":3,"data":"xx…"}} (the order is fixed here
 * because Jackson 3 sorts properties alphabetically by default).
 */
@JsonPropertyOrder({"aggregate", "seq", "data"})
public record PeerEvent(String aggregate, long seq, String data) {

  private static final String DATA = "\"data\":\"";

  /** Event {@code i} of the backlog, its JSON {@link PeerEvents#payload} of about {@code bytes}. */
  public static PeerEvent of(int i, int aggregates, int bytes) {
    String aggregate = PeerEvents.aggregate(i, aggregates);
    long seq = PeerEvents.sequence(i, aggregates);
    String payload = PeerEvents.payload(aggregate, seq, bytes);
    return new PeerEvent(
        aggregate,
        seq,
        payload.substring(payload.indexOf(DATA) + DATA.length(), payload.length() - 2));
  }
}
