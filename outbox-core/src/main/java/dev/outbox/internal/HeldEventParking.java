package dev.outbox.internal;

import dev.outbox.OutboxDatabaseException;
import dev.outbox.Redaction;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/**
 * Moves the waiting events of aggregates held behind a dead letter out of the claim's way. They
 * would otherwise stay the oldest due rows for as long as the dead letter is kept, and every claim
 * would look through them.
 */
final class HeldEventParking {

  private final Transactions tx;
  private final Sql sql;
  private final Logger log;

  HeldEventParking(Transactions tx, Sql sql, Logger log) {
    this.tx = tx;
    this.sql = sql;
    this.log = log;
  }

  /**
   * Makes the held aggregates' waiting events due {@code until}. In a transaction of its own, so a
   * lock it waits for cannot hold up a claim; a failure costs only the next claims' time, so it is
   * logged, not thrown.
   */
  void park(List<HeldAggregate> held, Instant until) {
    if (held.isEmpty()) {
      return;
    }
    try {
      int parked =
          tx.inTransaction(
              "park events held behind dead letters",
              c ->
                  sql.batch(
                      c,
                      held.stream()
                          .map(
                              aggregate ->
                                  sql.dialect()
                                      .parkHeldEvents(
                                          until,
                                          aggregate.aggregateType(),
                                          aggregate.aggregateId(),
                                          aggregate.deadLetterId()))
                          .toList()));
      log.debug(
          "Parked {} event(s) of {} aggregate(s) held behind dead letters until {}",
          parked,
          held.size(),
          until);
    } catch (OutboxDatabaseException e) {
      log.warn(
          "Could not park events held behind dead letters; the next claim tries again: {}",
          Redaction.text(e.getMessage()));
    }
  }
}
