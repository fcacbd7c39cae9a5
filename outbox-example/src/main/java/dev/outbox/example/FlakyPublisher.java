package dev.outbox.example;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publication;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.Publisher;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fails a fraction of publishes before they reach Kafka, so the example can show retries, backoff
 * and dead letters at work. Also a small example of a custom {@link Publisher}.
 */
final class FlakyPublisher implements Publisher {

  private final Publisher delegate;
  private final double failureRate;

  FlakyPublisher(Publisher delegate, double failureRate) {
    this.delegate = delegate;
    this.failureRate = failureRate;
  }

  @Override
  public Publication publish(EventRecord event) {
    if (ThreadLocalRandom.current().nextDouble() < failureRate) {
      return Publication.failed(
          PublishException.retriable(
              "injected failure for event " + event.eventId() + " (--failure-rate)",
              new IllegalStateException("simulated broker error")));
    }
    return delegate.publish(event);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
