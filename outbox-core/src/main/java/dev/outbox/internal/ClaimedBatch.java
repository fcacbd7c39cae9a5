package dev.outbox.internal;

import dev.outbox.OutboxDatabaseException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one claim took, and how it holds it: by a lease written to the rows, or by the claim's
 * transaction, still open, whose row locks are the lease until the outcomes are written in it.
 * Closing the batch before then rolls that transaction back, giving the events back as they were.
 */
public final class ClaimedBatch implements AutoCloseable {

  private static final ClaimedBatch EMPTY = new ClaimedBatch(List.of(), null);

  private final List<ClaimedEvent> events;
  private final Transactions.@Nullable OpenTransaction locks;

  private ClaimedBatch(List<ClaimedEvent> events, Transactions.@Nullable OpenTransaction locks) {
    this.events = List.copyOf(events);
    this.locks = locks;
  }

  static ClaimedBatch empty() {
    return EMPTY;
  }

  /** Events whose rows carry this claim's lease. */
  static ClaimedBatch leased(List<ClaimedEvent> events) {
    return events.isEmpty() ? EMPTY : new ClaimedBatch(events, null);
  }

  /** Events whose rows {@code locks} holds locked, unchanged. */
  static ClaimedBatch locked(List<ClaimedEvent> events, Transactions.OpenTransaction locks) {
    return new ClaimedBatch(events, locks);
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

  /** The open claim transaction holding the rows, or null if they carry a lease. */
  Transactions.@Nullable OpenTransaction locks() {
    return locks;
  }

  /** Gives the events back as they were, where the claim's transaction holds them. */
  @Override
  public void close() {
    if (locks != null) {
      try {
        locks.close();
      } catch (OutboxDatabaseException e) {
        // A rollback that failed leaves a broken connection, whose transaction the database
        // rolls back when it ends: the events are given back either way.
      }
    }
  }
}
