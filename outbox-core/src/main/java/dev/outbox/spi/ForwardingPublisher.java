package dev.outbox.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A publisher that hands everything to another: the base of publishers that add to one (metrics,
 * tracing, faults in tests) by overriding {@link #publish} and calling {@code super.publish}. It
 * forwards {@link #checkAvailability}, {@link #publishTimeLimit} and {@link #close} too, which a
 * wrapper written from scratch easily forgets, hiding what the wrapped publisher knows.
 */
public abstract class ForwardingPublisher implements Publisher {

  private final Publisher delegate;

  protected ForwardingPublisher(Publisher delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The publisher this one hands to. */
  protected final Publisher delegate() {
    return delegate;
  }

  @Override
  public CompletionStage<Void> publish(EventRecord event) {
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
