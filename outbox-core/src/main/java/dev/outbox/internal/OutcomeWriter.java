package dev.outbox.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes what became of claimed events. Every write is a compare-and-set on the lease owner: a row
 * whose lease this owner lost is left as its new owner set it.
 */
public final class OutcomeWriter {

  private final Transactions tx;
  private final Sql sql;

  public OutcomeWriter(Transactions tx, Sql sql) {
    this.tx = tx;
    this.sql = sql;
  }

  /** Writes the outcomes in one transaction; returns how many rows this owner still held. */
  public int record(String owner, List<Outcome> outcomes, Instant now) {
    Map<Outcome.Kind, List<Outcome>> byKind = new EnumMap<>(Outcome.Kind.class);
    for (Outcome o : outcomes) {
      byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o);
    }
    return tx.inTransaction(
        "record publish outcomes",
        c ->
            markSent(c, owner, byKind.getOrDefault(Outcome.Kind.SENT, List.of()), now)
                + markRetry(c, owner, byKind.getOrDefault(Outcome.Kind.RETRY, List.of()))
                + markFailed(c, owner, byKind.getOrDefault(Outcome.Kind.FAILED, List.of()))
                + release(c, owner, byKind.getOrDefault(Outcome.Kind.RELEASED, List.of())));
  }

  private int markSent(Connection c, String owner, List<Outcome> sent, Instant now)
      throws SQLException {
    return Chunks.forEach(
        sent.stream().map(Outcome::id).toList(),
        chunk -> sql.update(c, sql.dialect().markSent(now, owner, chunk)));
  }

  private int markRetry(Connection c, String owner, List<Outcome> retries) throws SQLException {
    return sql.batch(
        c,
        retries.stream()
            .map(
                o ->
                    sql.dialect()
                        .markRetry(
                            o.id(),
                            owner,
                            o.attempts(),
                            Objects.requireNonNull(o.nextAttemptAt()),
                            Objects.requireNonNull(o.error())))
            .toList());
  }

  private int markFailed(Connection c, String owner, List<Outcome> failures) throws SQLException {
    return sql.batch(
        c,
        failures.stream()
            .map(
                o ->
                    sql.dialect()
                        .markFailed(o.id(), owner, o.attempts(), Objects.requireNonNull(o.error())))
            .toList());
  }

  private int release(Connection c, String owner, List<Outcome> released) throws SQLException {
    // Grouped by due time, so most releases take one statement.
    Map<Instant, List<Long>> idsByDueTime = new LinkedHashMap<>();
    for (Outcome o : released) {
      idsByDueTime
          .computeIfAbsent(Objects.requireNonNull(o.nextAttemptAt()), k -> new ArrayList<>())
          .add(o.id());
    }
    int updated = 0;
    for (Map.Entry<Instant, List<Long>> entry : idsByDueTime.entrySet()) {
      updated +=
          Chunks.forEach(
              entry.getValue(),
              chunk -> sql.update(c, sql.dialect().release(entry.getKey(), owner, chunk)));
    }
    return updated;
  }
}
