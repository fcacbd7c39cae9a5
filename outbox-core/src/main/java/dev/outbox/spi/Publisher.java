package dev.outbox.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Delivers events to a message broker.
 *
 * <p>What the dispatcher expects of {@link #publish}:
 *
 * <ul>
 *   <li>It returns at once and reports the outcome through the {@link Publication}: while it runs,
 *       the dispatcher's thread waits. A failure is best reported through the acknowledgement
 *       ({@link Publication#failed}); an exception thrown is taken as if it were.
 *   <li>It is called from the dispatcher's own thread, with many publishes in flight across
 *       aggregates but never two of the same aggregate, so an implementation need not order
 *       anything itself.
 *   <li>The acknowledgement completes normally only once the broker has durably accepted the event;
 *       exceptionally with a {@link PublishException} that says whether a retry can help, or with
 *       any other exception, which counts as retriable.
 *   <li>A publisher that queues events before handing them to its broker's client returns a
 *       {@linkplain Publication#withdrawable withdrawable} publication, so that a publish still
 *       queued when the dispatcher gives up waiting goes back without an attempt counted. One whose
 *       broker tells where it put the event returns a publication {@linkplain Publication#placedBy
 *       placed} by it, for tracing.
 * </ul>
 *
 * <p>A publisher that wraps another (to add metrics, tracing or faults) should extend {@link
 * ForwardingPublisher}, which forwards {@link #checkAvailability} and {@link #publishTimeLimit}
 * too, and derive its publication from the wrapped one's ({@link Publication#mapAcknowledgement},
 * {@link Publication#whenComplete}), which keeps its withdrawal and placement: the defaults would
 * hide what the wrapped publisher knows.
 */
public interface Publisher extends AutoCloseable {

  /**
   * Starts publishing {@code event} and returns at once, with the publication through which its
   * outcome is told; see the {@linkplain Publisher contract above}.
   *
   * @param event the event to publish, with its attempt number
   * @return the publication, whose acknowledgement tells the outcome
   */
  Publication publish(EventRecord event);

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
   *
   * @param timeout about how long the answer may take
   * @return what the publisher knows of its broker; {@link BrokerAvailability#UNKNOWN} by default
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
   *
   * @return the bound, or empty
   */
  default Optional<PublishTimeLimit> publishTimeLimit() {
    return Optional.empty();
  }

  /** Releases the publisher's resources; called once by the dispatcher when it closes. */
  @Override
  default void close() {}
}
