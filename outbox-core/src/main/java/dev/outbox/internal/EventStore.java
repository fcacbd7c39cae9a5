package dev.outbox.internal;

import dev.outbox.OutboxDatabaseException;
import dev.outbox.spi.EventRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dispatcher's reads and writes of the events table. */
public final class EventStore {

  private final Transactions tx;
  private final Dialect dialect;
  private final boolean holdAfterDeadLetter;
  private final HeadClaim headClaim;
  private final FollowerClaim followerClaim;

  /**
   * How long events held behind a dead letter stay out of the claim's way. A replay or purge of the
   * dead letter brings them back at once; this bounds how late they come back when it goes another
   * way (retention cleanup, a manual delete).
   */
  static final Duration HELD_PARKING = Duration.ofMinutes(1);

  private final Logger log;

  public EventStore(Transactions tx, Dialect dialect, boolean holdAfterDeadLetter) {
    this(tx, dialect, holdAfterDeadLetter, LoggerFactory.getLogger(EventStore.class));
  }

  public EventStore(Transactions tx, Dialect dialect, boolean holdAfterDeadLetter, Logger log) {
    this.tx = tx;
    this.dialect = dialect;
    this.holdAfterDeadLetter = holdAfterDeadLetter;
    this.headClaim = new HeadClaim(dialect, holdAfterDeadLetter);
    this.followerClaim = new FollowerClaim(dialect, holdAfterDeadLetter);
    this.log = log;
  }

  /**
   * Claims up to {@code limit} events under a lease: aggregate heads first, then the waiting events
   * that follow a claimed head, in row order.
   *
   * <p>Events held behind a dead letter would otherwise stay the oldest due rows for as long as it
   * is kept, and every claim would look through them (a second per claim with 20,000 of them); when
   * a claim meets them, they are made due {@link #HELD_PARKING} later.
   */
  public List<ClaimedEvent> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    List<HeldAggregate> held = new ArrayList<>();
    List<ClaimedEvent> claimed = claim(owner, now, leaseUntil, limit, held);
    if (!held.isEmpty()) {
      park(held, now.plus(HELD_PARKING));
    }
    return claimed;
  }

  private List<ClaimedEvent> claim(
      String owner, Instant now, Instant leaseUntil, int limit, List<HeldAggregate> held) {
    return tx.inTransaction(
        "claim outbox events",
        c -> {
          String prepare = dialect.prepareClaim();
          if (prepare != null) {
            try (Statement statement = c.createStatement()) {
              statement.execute(prepare);
            }
          }
          HeadClaim.Search search =
              headClaim.search(c, owner, now, leaseUntil, limit, this::readEvent);
          Batch batch = new Batch(limit);
          List<ClaimedEvent> heads;
          while (!batch.full() && (heads = search.next(batch.room())) != null) {
            addWithFollowers(c, heads, batch);
          }
          if (batch.claimed.isEmpty()) {
            addWithFollowers(c, search.lastResort(limit), batch);
          }
          held.addAll(search.held());
          markProcessing(c, owner, leaseUntil, batch.unleased);
          return batch.claimed;
        });
  }

  /** What a claim has taken so far, and which of it still needs its lease written. */
  private static final class Batch {
    final List<ClaimedEvent> claimed = new ArrayList<>();
    final List<ClaimedEvent> unleased = new ArrayList<>();
    final int limit;

    Batch(int limit) {
      this.limit = limit;
    }

    int room() {
      return limit - claimed.size();
    }

    boolean full() {
      return claimed.size() >= limit;
    }
  }

  /**
   * Adds a window's heads and then their followers, so the batch fills in age order: an old chain's
   * waiting events go before the heads of later windows.
   */
  private void addWithFollowers(Connection c, List<ClaimedEvent> heads, Batch batch)
      throws SQLException {
    if (heads.isEmpty()) {
      return;
    }
    boolean leased = dialect.leasesHeadsWhileClaiming();
    List<ClaimedEvent> sorted = new ArrayList<>(heads);
    sorted.sort(Comparator.comparingLong(ClaimedEvent::id));
    batch.claimed.addAll(sorted);
    if (!leased) {
      batch.unleased.addAll(sorted);
    }
    if (!batch.full()) {
      List<ClaimedEvent> followers = followerClaim.claim(c, sorted, batch.room(), this::readEvent);
      batch.claimed.addAll(followers);
      batch.unleased.addAll(followers);
    }
  }

  private void markProcessing(
      Connection c, String owner, Instant leaseUntil, List<ClaimedEvent> claimed)
      throws SQLException {
    if (claimed.isEmpty()) {
      return;
    }
    List<Long> ids = claimed.stream().map(ClaimedEvent::id).toList();
    Statements.forEachChunk(
        ids,
        chunk -> {
          try (PreparedStatement ps = c.prepareStatement(dialect.markProcessing(chunk.size()))) {
            ps.setString(1, owner);
            dialect.setInstant(ps, 2, leaseUntil);
            Statements.bindIds(ps, 3, chunk);
            ps.executeUpdate();
          }
        });
  }

  /**
   * In a transaction of its own, so a lock it waits for cannot hold up the claim. A failure costs
   * only the next claims' time, so it is logged, not thrown.
   */
  private void park(List<HeldAggregate> held, Instant until) {
    try {
      int parked =
          tx.inTransaction(
              "park events held behind dead letters",
              c -> {
                try (PreparedStatement ps = c.prepareStatement(dialect.parkHeldEvents())) {
                  for (HeldAggregate aggregate : held) {
                    dialect.setInstant(ps, 1, until);
                    ps.setString(2, aggregate.aggregateId());
                    ps.setString(3, aggregate.aggregateType());
                    ps.setLong(4, aggregate.deadLetterId());
                    dialect.setInstant(ps, 5, until);
                    ps.addBatch();
                  }
                  return Statements.sum(ps.executeBatch());
                }
              });
      log.debug(
          "Parked {} event(s) of {} aggregate(s) held behind dead letters until {}",
          parked,
          held.size(),
          until);
    } catch (OutboxDatabaseException e) {
      log.warn("Could not park events held behind dead letters; the next claim tries again", e);
    }
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
    Statements.forEachChunk(
        sent.stream().map(Outcome::id).toList(),
        chunk -> {
          try (PreparedStatement ps = c.prepareStatement(dialect.markSent(chunk.size()))) {
            dialect.setInstant(ps, 1, now);
            ps.setString(2, owner);
            Statements.bindIds(ps, 3, chunk);
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
      return Statements.sum(ps.executeBatch());
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
      return Statements.sum(ps.executeBatch());
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
      Statements.forEachChunk(
          entry.getValue(),
          chunk -> {
            try (PreparedStatement ps = c.prepareStatement(dialect.release(chunk.size()))) {
              dialect.setInstant(ps, 1, entry.getKey());
              ps.setString(2, owner);
              Statements.bindIds(ps, 3, chunk);
              count[0] += ps.executeUpdate();
            }
          });
      updated += count[0];
    }
    return updated;
  }

  // ---- helpers ------------------------------------------------------------------------------

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
}
