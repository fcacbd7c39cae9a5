package dev.outbox.internal;

import dev.outbox.spi.EventRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The dispatcher's reads and writes of the events table. */
public final class EventStore {

  /** Unsent rows by status, and the age of the oldest waiting one. */
  public record Backlog(
      long pending,
      long retry,
      long processing,
      long failed,
      long deadLetters,
      @Nullable Instant oldestWaitingCreatedAt) {}

  private static final int MAX_IDS_PER_STATEMENT = 500;

  private final Transactions tx;
  private final Dialect dialect;
  private final boolean holdAfterDeadLetter;
  private final FollowerClaim followerClaim;

  public EventStore(Transactions tx, Dialect dialect, boolean holdAfterDeadLetter) {
    this.tx = tx;
    this.dialect = dialect;
    this.holdAfterDeadLetter = holdAfterDeadLetter;
    this.followerClaim = new FollowerClaim(dialect, holdAfterDeadLetter);
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Claims up to {@code limit} events under a lease: aggregate heads first, then the waiting events
   * that follow a claimed head, in row order.
   */
  public List<ClaimedEvent> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    return tx.inTransaction(
        "claim outbox events",
        c -> {
          String prepare = dialect.prepareClaim();
          if (prepare != null) {
            try (Statement statement = c.createStatement()) {
              statement.execute(prepare);
            }
          }
          String leaseHeads = dialect.claimAndLeaseHeads(holdAfterDeadLetter);
          List<ClaimedEvent> heads =
              selectEvents(
                  c,
                  leaseHeads != null ? leaseHeads : dialect.claimHeads(holdAfterDeadLetter),
                  ps -> {
                    dialect.setInstant(ps, 1, now);
                    ps.setInt(2, limit);
                    if (leaseHeads != null) {
                      ps.setString(3, owner);
                      dialect.setInstant(ps, 4, leaseUntil);
                    }
                  });
          if (heads.isEmpty()) {
            return heads;
          }
          if (leaseHeads != null) {
            heads.sort(Comparator.comparingLong(ClaimedEvent::id));
          }
          List<ClaimedEvent> followers =
              heads.size() < limit
                  ? followerClaim.claim(c, heads, limit - heads.size(), this::readEvent)
                  : List.of();
          markProcessing(
              c, owner, leaseUntil, leaseHeads != null ? followers : concat(heads, followers));
          return concat(heads, followers);
        });
  }

  private static List<ClaimedEvent> concat(List<ClaimedEvent> a, List<ClaimedEvent> b) {
    if (b.isEmpty()) {
      return a;
    }
    List<ClaimedEvent> all = new ArrayList<>(a.size() + b.size());
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  private void markProcessing(
      Connection c, String owner, Instant leaseUntil, List<ClaimedEvent> claimed)
      throws SQLException {
    if (claimed.isEmpty()) {
      return;
    }
    List<Long> ids = claimed.stream().map(ClaimedEvent::id).toList();
    forEachChunk(
        ids,
        chunk -> {
          try (PreparedStatement ps = c.prepareStatement(dialect.markProcessing(chunk.size()))) {
            ps.setString(1, owner);
            dialect.setInstant(ps, 2, leaseUntil);
            bindIds(ps, 3, chunk);
            ps.executeUpdate();
          }
        });
  }

  /** Records outcomes; a row whose lease this owner lost is left as its new owner set it. */
  public int record(String owner, List<Outcome> outcomes, Instant now) {
    return tx.inTransaction(
        "record publish outcomes",
        c -> {
          Map<Outcome.Kind, List<Outcome>> byKind = new EnumMap<>(Outcome.Kind.class);
          for (Outcome o : outcomes) {
            byKind.computeIfAbsent(o.kind(), k -> new ArrayList<>()).add(o);
          }
          int updated = 0;
          updated += markSent(c, owner, byKind.getOrDefault(Outcome.Kind.SENT, List.of()), now);
          updated += markRetry(c, owner, byKind.getOrDefault(Outcome.Kind.RETRY, List.of()));
          updated += markFailed(c, owner, byKind.getOrDefault(Outcome.Kind.FAILED, List.of()));
          updated += release(c, owner, byKind.getOrDefault(Outcome.Kind.RELEASED, List.of()));
          return updated;
        });
  }

  private int markSent(Connection c, String owner, List<Outcome> sent, Instant now)
      throws SQLException {
    int[] updated = {0};
    forEachChunk(
        sent.stream().map(Outcome::id).toList(),
        chunk -> {
          try (PreparedStatement ps = c.prepareStatement(dialect.markSent(chunk.size()))) {
            dialect.setInstant(ps, 1, now);
            ps.setString(2, owner);
            bindIds(ps, 3, chunk);
            updated[0] += ps.executeUpdate();
          }
        });
    return updated[0];
  }

  private int markRetry(Connection c, String owner, List<Outcome> retries) throws SQLException {
    if (retries.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement(dialect.markRetry())) {
      for (Outcome o : retries) {
        ps.setInt(1, o.attempts());
        dialect.setInstant(ps, 2, o.nextAttemptAt());
        ps.setString(3, o.error());
        ps.setLong(4, o.id());
        ps.setString(5, owner);
        ps.addBatch();
      }
      return sum(ps.executeBatch());
    }
  }

  private int markFailed(Connection c, String owner, List<Outcome> failures) throws SQLException {
    if (failures.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement(dialect.markFailed())) {
      for (Outcome o : failures) {
        ps.setInt(1, o.attempts());
        ps.setString(2, o.error());
        ps.setLong(3, o.id());
        ps.setString(4, owner);
        ps.addBatch();
      }
      return sum(ps.executeBatch());
    }
  }

  private int release(Connection c, String owner, List<Outcome> released) throws SQLException {
    int updated = 0;
    // Grouped by due time, so most releases take one statement.
    Map<Instant, List<Long>> idsByDueTime = new LinkedHashMap<>();
    for (Outcome o : released) {
      idsByDueTime
          .computeIfAbsent(Objects.requireNonNull(o.nextAttemptAt()), k -> new ArrayList<>())
          .add(o.id());
    }
    for (Map.Entry<Instant, List<Long>> entry : idsByDueTime.entrySet()) {
      int[] count = {0};
      forEachChunk(
          entry.getValue(),
          chunk -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.release(chunk.size()))) {
              dialect.setInstant(ps, 1, entry.getKey());
              ps.setString(2, owner);
              bindIds(ps, 3, chunk);
              count[0] += ps.executeUpdate();
            }
          });
      updated += count[0];
    }
    return updated;
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
          int failed;
          try (PreparedStatement ps = c.prepareStatement(dialect.failExpiredLeases())) {
            ps.setString(1, error);
            dialect.setInstant(ps, 2, now);
            ps.setInt(3, maxAttempts);
            failed = ps.executeUpdate();
          }
          int retried;
          try (PreparedStatement ps = c.prepareStatement(dialect.retryExpiredLeases())) {
            dialect.setInstant(ps, 1, now);
            ps.setString(2, error);
            dialect.setInstant(ps, 3, now);
            retried = ps.executeUpdate();
          }
          return new int[] {retried, failed};
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
            bindIds(ps, 2, ids);
            copied = ps.executeUpdate();
          }
          int deleted;
          try (PreparedStatement ps = c.prepareStatement(dialect.deleteFailed(ids.size()))) {
            bindIds(ps, 1, ids);
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

  // ---- helpers ------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface ChunkWork {
    void run(List<Long> chunk) throws SQLException;
  }

  private List<ClaimedEvent> selectEvents(Connection c, String sql, Binder binder)
      throws SQLException {
    List<ClaimedEvent> events = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          events.add(readEvent(rs));
        }
      }
    }
    return events;
  }

  private ClaimedEvent readEvent(ResultSet rs) throws SQLException {
    // Column order: Dialect.EVENT_COLUMNS
    long id = rs.getLong(1);
    int attempts = rs.getInt(10);
    String headers = rs.getString(8);
    EventRecord record =
        new EventRecord(
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getString(9),
            HeadersCodec.fromJson(headers),
            Objects.requireNonNull(dialect.getInstant(rs, 11)),
            attempts + 1);
    return new ClaimedEvent(id, attempts, record);
  }

  private static void forEachChunk(List<Long> ids, ChunkWork work) throws SQLException {
    for (int from = 0; from < ids.size(); from += MAX_IDS_PER_STATEMENT) {
      work.run(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_STATEMENT)));
    }
  }

  private static void bindIds(PreparedStatement ps, int first, List<Long> ids) throws SQLException {
    for (int i = 0; i < ids.size(); i++) {
      ps.setLong(first + i, ids.get(i));
    }
  }

  private static int sum(int[] counts) {
    int total = 0;
    for (int count : counts) {
      // A driver may report SUCCESS_NO_INFO (-2) for batched statements.
      total += Math.max(count, 0);
    }
    return total;
  }
}
