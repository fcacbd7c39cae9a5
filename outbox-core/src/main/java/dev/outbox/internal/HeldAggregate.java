package dev.outbox.internal;

/**
 * An aggregate whose waiting events follow a dead letter, so none of them can go until the dead
 * letter is replayed or purged (under {@link dev.outbox.DeadLetterPolicy#HOLD_AGGREGATE}).
 *
 * @param deadLetterId the original row id of the aggregate's oldest dead letter
 */
record HeldAggregate(String aggregateType, String aggregateId, long deadLetterId) {}
