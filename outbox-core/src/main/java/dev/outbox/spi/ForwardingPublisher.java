package dev.outbox.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A publisher that hands everything to another: the base of publishers that add to one (metrics,
 * tracing, faults in tests) by overriding {@link #publish} and calling {@code super.publish}. It
 * forwards {@link #checkAvailability}, {@link #publishTimeLimit} and {@link #close} too, which a
 * wrapper written from scratch easily forgets, hiding what the wrapped publisher knows.
 *
 * <p>{@link #publish} returns the wrapped publisher's {@link Publication} itself. An override
 * derives its own from it with {@link Publication#mapAcknowledgement} or {@link
 * Publication#whenComplete}, which keep its withdrawal and placement; one that returns a
 * publication of its own instead (a fault injected before the wrapped publisher is called) gives
 * them up, as it should for a publish that never reached the wrapped publisher.
 */
public abstract class ForwardingPublisher implements Publisher {

  private final Publisher delegate;

  /**
   * A publisher handing everything to {@code delegate}.
   *
   * @param delegate the wrapped publisher; not null
   */
  protected ForwardingPublisher(Publisher delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** {@return the publisher this one hands to} */
  protected final Publisher delegate() {
    return delegate;
  }

  /** The wrapped publisher's publication, with everything it can do. */
  @Override
  public Publication publish(EventRecord event) {
    return delegate.publish(event);
  }

  @Override
  public BrokerAvailability checkAvailability(Duration timeout) {
    return delegate.checkAvailability(timeout);
  }

  @Override
  public Optional<PublishTimeLimit> publishTimeLimit() {
    return delegate.publishTimeLimit();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
