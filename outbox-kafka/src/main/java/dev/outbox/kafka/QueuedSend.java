package dev.outbox.kafka;

import dev.outbox.spi.EventRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publish waiting for the sender thread. Whichever comes first takes it: the sender, which hands
 * it to the producer, or a {@link #cancel}, which withdraws it unsent. Once handed over, cancel
 * answers {@code false}: the broker may have the record, so its outcome must be awaited.
 */
final class QueuedSend extends CompletableFuture<Void> {

  private final EventRecord event;
  private final AtomicBoolean taken = new AtomicBoolean();

  QueuedSend(EventRecord event) {
    this.event = event;
  }

  EventRecord event() {
    return event;
  }

  /** Takes the send for the producer; false if it was withdrawn or already taken. */
  boolean takeForSending() {
    return taken.compareAndSet(false, true);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return taken.compareAndSet(false, true) && super.cancel(mayInterruptIfRunning);
  }
}
