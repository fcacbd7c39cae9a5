package dev.outbox.spi;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Delivers events to a message broker. The dispatcher calls {@link #publish} from its own thread
 * and may have many publishes in flight across aggregates; it never has two in flight for the same
 * aggregate, so an implementation need not order anything itself.
 *
 * <p>The returned stage completes normally once the broker has durably accepted the event. It
 * completes exceptionally when the event was not delivered: with a {@link PublishException} that
 * says whether a retry can help, or with any other exception, which counts as retriable.
 *
 * <p>{@link #publish} should return at once and report through the stage: the dispatcher's thread
 * waits in it. A publisher that queues events before handing them to its broker's client returns a
 * stage that is {@link Withdrawable}, so that a publish still queued when the dispatcher gives up
 * waiting goes back without an attempt counted.
 *
 * <p>A publisher that wraps another (to add metrics, tracing or faults) should extend {@link
 * ForwardingPublisher}, which forwards {@link #checkAvailability} and {@link #publishTimeLimit}
 * too, and keep the stage {@link Withdrawable} when the wrapped one is: the defaults would hide
 * what the wrapped publisher knows.
 */
public interface Publisher extends AutoCloseable {

  CompletionStage<Void> publish(EventRecord event);

  /**
   * Whether the broker takes events now, answered within about {@code timeout}. The dispatcher asks
   * when publishes failed with retriable errors: while the broker is {@link
   * BrokerAvailability#UNAVAILABLE} their failures are not the events' fault and no attempt is
   * counted, and the dispatcher asks again, instead of claiming, until the broker is back.
   *
   * <p>The default, {@link BrokerAvailability#UNKNOWN}, makes the dispatcher tell an outage from
   * the failures alone: a batch in which every publish failed counts one attempt, on its oldest
   * event, and the dispatcher pauses up to a minute. A long outage can then still use up that
   * event's attempts; publishers that can ask their broker should.
   */
  default BrokerAvailability checkAvailability(Duration timeout) {
    return BrokerAvailability.UNKNOWN;
  }

  /**
   * The longest a publish takes to complete once handed to the broker's client, whatever the
   * broker's state, if the publisher bounds it. The dispatcher refuses a lease ({@code
   * stuckTimeout}) shorter than twice this, and starts publishing only while every publish can
   * still complete within three quarters of the lease, so an event is never published again merely
   * because its acknowledgement was slow. Empty (the default) when there is no bound.
   */
  default Optional<PublishTimeLimit> publishTimeLimit() {
    return Optional.empty();
  }

  /** Releases the publisher's resources; called once by the dispatcher when it closes. */
  @Override
  default void close() {}
}
