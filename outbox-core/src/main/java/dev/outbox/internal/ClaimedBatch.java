package dev.outbox.internal;

import java.util.List;

/**
 * What one claim took, and the {@link BatchLease} it holds it under until the outcomes are written.
 * Closing the batch before then ends a lease held by the claim's transaction, giving the events
 * back as they were.
 */
public final class ClaimedBatch implements AutoCloseable {

  private static final ClaimedBatch EMPTY = new ClaimedBatch(List.of(), BatchLease.NOTHING);

  private final List<ClaimedEvent> events;
  private final BatchLease lease;

  ClaimedBatch(List<ClaimedEvent> events, BatchLease lease) {
    this.events = List.copyOf(events);
    this.lease = lease;
  }

  static ClaimedBatch empty() {
    return EMPTY;
  }

  public List<ClaimedEvent> events() {
    return events;
  }

  public boolean isEmpty() {
    return events.isEmpty();
  }

  public int size() {
    return events.size();
  }

  BatchLease lease() {
    return lease;
  }

  /** Gives the events back as they were, where the claim's transaction holds them. */
  @Override
  public void close() {
    lease.end();
  }
}
