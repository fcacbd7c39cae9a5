package dev.outbox;

import java.util.List;

/**
 * An event id is already in the outbox (or twice in one batch). Nothing of the call was written;
 * the caller's transaction is still usable.
 */
public final class DuplicateEventException extends OutboxException {

  private static final long serialVersionUID = 1L;

  private final List<String> eventIds;

  /**
   * The exception for these event ids, which its message lists.
   *
   * @param eventIds the event ids already in the outbox, or repeated in the batch
   */
  public DuplicateEventException(List<String> eventIds) {
    super("eventId already exists in the outbox: " + eventIds);
    this.eventIds = List.copyOf(eventIds);
  }

  /** {@return the event ids already in the outbox, or repeated in the batch} */
  public List<String> eventIds() {
    return eventIds;
  }
}
