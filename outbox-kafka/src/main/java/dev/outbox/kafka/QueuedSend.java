package dev.outbox.kafka;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publication;
import dev.outbox.spi.Publication.Placement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publish waiting for the sender thread, and its acknowledgement. Whichever comes first takes it:
 * the sender, which hands it to the producer, or {@link #withdraw} (or {@link #cancel}), which
 * takes it back unsent. Once handed over, both answer {@code false}: the broker may have the
 * record, so its outcome must be awaited. Once acknowledged, it tells the record's partition and
 * offset.
 */
final class QueuedSend extends CompletableFuture<Void> {

  private final EventRecord event;
  private final AtomicBoolean taken = new AtomicBoolean();
  private volatile Optional<Placement> placement = Optional.empty();

  QueuedSend(EventRecord event) {
    this.event = event;
  }

  EventRecord event() {
    return event;
  }

  /** What {@link KafkaPublisher#publish} returns: withdrawable and placed by this send. */
  Publication publication() {
    return Publication.withdrawable(this, this::withdraw).placedBy(this::placement);
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

  private Optional<Placement> placement() {
    return placement;
  }

  private boolean withdraw() {
    return taken.compareAndSet(false, true) && super.cancel(false);
  }

  /** A withdrawal: a send already with the producer is not abandoned by cancelling its future. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return withdraw();
  }
}
