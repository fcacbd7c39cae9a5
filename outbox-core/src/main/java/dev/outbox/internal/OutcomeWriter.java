package dev.outbox.internal;

import dev.outbox.spi.SqlStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Writes what became of claimed events, as the batch's {@link BatchLease} says. Every write to a
 * leased row is a compare-and-set on the lease owner: a row whose lease this owner lost is left as
 * its new owner set it. A row held by the claim's row lock cannot be lost while that transaction
 * lives.
 */
public final class OutcomeWriter {

  private final Transactions tx;
  private final Sql sql;

  public OutcomeWriter(Transactions tx, Sql sql) {
    this.tx = tx;
    this.sql = sql;
  }

  /**
   * What a write of outcomes changed: how many rows this owner still held, and which failed events
   * it recorded (a failure whose lease was lost leaves the row as its new owner set it).
   */
  public record Recorded(int rows, Set<Long> failuresRecorded) {

    /** The same rows, with every failure among the outcomes taken as recorded. */
    Recorded assumingEveryFailureRecorded(List<Outcome> outcomes) {
      Set<Long> failures = new HashSet<>(failuresRecorded);
      for (Outcome o : outcomes) {
        if (o.kind() == Outcome.Kind.RETRY || o.kind() == Outcome.Kind.FAILED) {
          failures.add(o.id());
        }
      }
      return new Recorded(rows, Set.copyOf(failures));
    }
  }

  /** Writes the outcomes of a batch, as its {@link BatchLease} writes under it. */
  public Recorded record(ClaimedBatch batch, List<Outcome> outcomes, Instant now) {
    return batch.lease().write(this, outcomes, now);
  }

  /**
   * Under a lease written to the rows: in a transaction of its own, as {@code owner}. A row left
   * leased already carries the lease: there is nothing to write.
   */
  Recorded writeLeased(String owner, List<Outcome> outcomes, Instant now) {
    return tx.inTransaction("record publish outcomes", c -> write(c, owner, outcomes, now));
  }

  /**
   * In the claim's transaction, which holds the rows locked, and commits it. A released row is left
   * as it was unless due later, and a row left leased is leased to {@code owner} until {@code
   * leaseUntil}, so the stuck-event worker decides what became of it.
   */
  Recorded writeLocked(
      Transactions.OpenTransaction locks,
      String owner,
      Instant leaseUntil,
      List<Outcome> outcomes,
      Instant now) {
    List<Long> leftLeased = new ArrayList<>();
    List<Outcome> changing = new ArrayList<>();
    int waiting = 0;
    for (Outcome o : outcomes) {
      if (o.kind() == Outcome.Kind.LEFT_LEASED) {
        leftLeased.add(o.id());
      } else if (o.kind() == Outcome.Kind.RELEASED
          && !Objects.requireNonNull(o.nextAttemptAt()).isAfter(now)) {
        // Rows this transaction locks are still waiting: only a release to a later time is written.
        waiting++;
      } else {
        changing.add(o);
      }
    }
    int unchanged = waiting;
    Recorded recorded =
        locks.run(
            c -> {
              Recorded written = write(c, null, changing, now);
              Chunks.forEach(
                  leftLeased,
                  chunk -> sql.update(c, sql.dialect().markProcessing(owner, leaseUntil, chunk)));
              return new Recorded(written.rows() + unchanged, written.failuresRecorded());
            });
    locks.commit();
    return recorded;
  }

  /** {@code owner} null: the rows are locked by this transaction, which claimed them. */
  private Recorded write(Connection c, @Nullable String owner, List<Outcome> outcomes, Instant now)
      throws SQLException {
    Map<Outcome.Kind, List<Outcome>> byKind = new EnumMap<>(Outcome.Kind.class);
    for (Outcome o : outcomes) {
      byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o);
    }
    Set<Long> failures = new HashSet<>();
    int rows =
        markSent(c, owner, byKind.getOrDefault(Outcome.Kind.SENT, List.of()), now)
            + markRetry(c, owner, byKind.getOrDefault(Outcome.Kind.RETRY, List.of()), failures)
            + markFailed(c, owner, byKind.getOrDefault(Outcome.Kind.FAILED, List.of()), failures)
            + release(c, owner, byKind.getOrDefault(Outcome.Kind.RELEASED, List.of()));
    return new Recorded(rows, Set.copyOf(failures));
  }

  private int markSent(Connection c, @Nullable String owner, List<Outcome> sent, Instant now)
      throws SQLException {
    return Chunks.forEach(
        sent.stream().map(Outcome::id).toList(),
        chunk -> sql.update(c, sql.dialect().markSent(now, owner, chunk)));
  }

  private int markRetry(
      Connection c, @Nullable String owner, List<Outcome> retries, Set<Long> recorded)
      throws SQLException {
    return batch(
        c,
        retries,
        o ->
            sql.dialect()
                .markRetry(
                    o.id(),
                    owner,
                    o.attempts(),
                    Objects.requireNonNull(o.nextAttemptAt()),
                    Objects.requireNonNull(o.error())),
        recorded);
  }

  private int markFailed(
      Connection c, @Nullable String owner, List<Outcome> failures, Set<Long> recorded)
      throws SQLException {
    return batch(
        c,
        failures,
        o ->
            sql.dialect()
                .markFailed(o.id(), owner, o.attempts(), Objects.requireNonNull(o.error())),
        recorded);
  }

  /**
   * One statement per outcome, batched; adds the ids of the rows it changed to {@code recorded}.
   */
  private int batch(
      Connection c,
      List<Outcome> outcomes,
      Function<Outcome, SqlStatement> statement,
      Set<Long> recorded)
      throws SQLException {
    int[] counts = sql.batchCounts(c, outcomes.stream().map(statement).toList());
    int rows = 0;
    for (int i = 0; i < counts.length; i++) {
      // SUCCESS_NO_INFO: the driver does not say; the row most likely was still ours.
      if (counts[i] > 0 || counts[i] == Statement.SUCCESS_NO_INFO) {
        recorded.add(outcomes.get(i).id());
        rows += Math.max(counts[i], 1);
      }
    }
    return rows;
  }

  private int release(Connection c, @Nullable String owner, List<Outcome> released)
      throws SQLException {
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
