package dev.outbox.spi;

import java.util.concurrent.CompletionStage;

/**
 * Delivers events to a message broker. The dispatcher calls {@link #publish} from its own thread
 * and may have many publishes in flight across aggregates; it never has two in flight for the same
 * aggregate, so an implementation need not order anything itself.
 *
 * <p>The returned stage completes normally once the broker has durably accepted the event. It
 * completes exceptionally when the event was not delivered: with a {@link PublishException} that
 * says whether a retry can help, or with any other exception, which counts as retriable.
 */
public interface Publisher extends AutoCloseable {

  CompletionStage<Void> publish(EventRecord event);

  /** Releases the publisher's resources; called once by the dispatcher when it closes. */
  @Override
  default void close() {}
}
