package dev.outbox.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The maintenance workers' reads and writes: stuck leases, dead letters, cleanup, backlog. */
public final class MaintenanceStore {

  /** Unsent rows by status, and the age of the oldest waiting one. */
  public record Backlog(
      long pending,
      long retry,
      long processing,
      long failed,
      long deadLetters,
      @Nullable Instant oldestWaitingCreatedAt) {}

  private final Transactions tx;
  private final Dialect dialect;

  public MaintenanceStore(Transactions tx, Dialect dialect) {
    this.tx = tx;
    this.dialect = dialect;
  }

  /**
   * Expired leases go back to retry with the attempt counted, or to failed when that was the last
   * attempt, so an event that kills its dispatcher cannot loop forever.
   *
   * @return {retried, failed}
   */
  public int[] recoverExpiredLeases(Instant now, int maxAttempts) {
    String error = "lease expired: the dispatcher holding it stopped or stalled";
    return tx.inTransaction(
        "recover stuck outbox events",
        c -> {
          List<Long> expired = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(dialect.selectExpiredLeases())) {
            dialect.setInstant(ps, 1, now);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                expired.add(rs.getLong(1));
              }
            }
          }
          int[] counts = {0, 0};
          // Rows locked above stay expired and processing until this transaction ends.
          Statements.forEachChunk(
              expired,
              chunk -> {
                try (PreparedStatement ps =
                    c.prepareStatement(dialect.failExpiredLeases(chunk.size()))) {
                  ps.setString(1, error);
                  ps.setInt(2, maxAttempts);
                  Statements.bindIds(ps, 3, chunk);
                  counts[1] += ps.executeUpdate();
                }
                try (PreparedStatement ps =
                    c.prepareStatement(dialect.retryExpiredLeases(chunk.size()))) {
                  dialect.setInstant(ps, 1, now);
                  ps.setString(2, error);
                  Statements.bindIds(ps, 3, chunk);
                  counts[0] += ps.executeUpdate();
                }
              });
          return counts;
        });
  }

  /** Moves up to {@code limit} failed events to the dead letters in one transaction. */
  public int moveFailedToDeadLetters(Instant now, int limit) {
    return tx.inTransaction(
        "move failed outbox events to the dead letters",
        c -> {
          List<Long> ids = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(dialect.selectFailedForMove())) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
              }
            }
          }
          if (ids.isEmpty()) {
            return 0;
          }
          int copied;
          try (PreparedStatement ps =
              c.prepareStatement(dialect.copyFailedToDeadLetters(ids.size()))) {
            dialect.setInstant(ps, 1, now);
            Statements.bindIds(ps, 2, ids);
            copied = ps.executeUpdate();
          }
          int deleted;
          try (PreparedStatement ps = c.prepareStatement(dialect.deleteFailed(ids.size()))) {
            Statements.bindIds(ps, 1, ids);
            deleted = ps.executeUpdate();
          }
          if (copied != ids.size() || deleted != ids.size()) {
            // Rolled back by the caller: nothing may be deleted that was not copied.
            throw new IllegalStateException(
                "dead-letter move inconsistent: locked "
                    + ids.size()
                    + ", copied "
                    + copied
                    + ", deleted "
                    + deleted);
          }
          return copied;
        });
  }

  public int deleteSentBefore(Instant cutoff, int limit) {
    return deleteBefore("delete sent outbox events", dialect.deleteSentBefore(), cutoff, limit);
  }

  public int deleteDeadLettersBefore(Instant cutoff, int limit) {
    return deleteBefore(
        "delete expired dead letters", dialect.deleteDeadLettersBefore(), cutoff, limit);
  }

  private int deleteBefore(String purpose, String sql, Instant cutoff, int limit) {
    return tx.inTransaction(
        purpose,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            dialect.setInstant(ps, 1, cutoff);
            ps.setInt(2, limit);
            return ps.executeUpdate();
          }
        });
  }

  public Backlog backlog() {
    return tx.inTransaction(
        "count outbox backlog",
        c -> {
          Map<String, Long> counts = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(dialect.countUnsentByStatus());
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counts.put(rs.getString(1), rs.getLong(2));
            }
          }
          long deadLetters;
          try (PreparedStatement ps = c.prepareStatement(dialect.countDeadLetters());
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            deadLetters = rs.getLong(1);
          }
          Instant oldest;
          try (PreparedStatement ps = c.prepareStatement(dialect.oldestWaitingCreatedAt());
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            oldest = dialect.getInstant(rs, 1);
          }
          return new Backlog(
              counts.getOrDefault("pending", 0L),
              counts.getOrDefault("retry", 0L),
              counts.getOrDefault("processing", 0L),
              counts.getOrDefault("failed", 0L),
              deadLetters,
              oldest);
        });
  }
}
