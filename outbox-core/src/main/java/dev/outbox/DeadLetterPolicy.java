package dev.outbox;

/** What happens to the later events of an aggregate once one of its events is dead-lettered. */
public enum DeadLetterPolicy {
  /**
   * The aggregate's later events wait until the dead letter is replayed or purged (or removed by
   * dead-letter retention). Consumers never see a gap in an aggregate's history. The default.
   */
  HOLD_AGGREGATE,
  /** The aggregate's later events are published; the dead letter is a gap in its history. */
  CONTINUE
}
