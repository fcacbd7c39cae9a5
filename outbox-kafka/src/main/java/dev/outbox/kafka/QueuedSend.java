package dev.outbox.kafka;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Placed;
import dev.outbox.spi.Withdrawable;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publish waiting for the sender thread. Whichever comes first takes it: the sender, which hands
 * it to the producer, or {@link #withdraw} (or {@link #cancel}), which takes it back unsent. Once
 * handed over, both answer {@code false}: the broker may have the record, so its outcome must be
 * awaited. Once acknowledged, it tells the record's partition and offset.
 */
final class QueuedSend extends CompletableFuture<Void> implements Withdrawable, Placed {

  private final EventRecord event;
  private final AtomicBoolean taken = new AtomicBoolean();
  private volatile Optional<Placement> placement = Optional.empty();

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

  /** Completes the send as acknowledged at this partition and offset. */
  void acknowledged(int partition, long offset) {
    placement = Optional.of(new Placement(partition, offset));
    complete(null);
  }

  @Override
  public Optional<Placement> placement() {
    return placement;
  }

  @Override
  public boolean withdraw() {
    return taken.compareAndSet(false, true) && super.cancel(false);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return withdraw();
  }
}
