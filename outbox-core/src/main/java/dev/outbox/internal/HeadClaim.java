package dev.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Finds and locks aggregate heads among the oldest due events. A claim looks at a bounded window of
 * them (read without locks) so its cost does not grow with the backlog; when a window holds too few
 * heads it pages on, a few windows at most, and only when even those hold none at all (every one
 * waits behind a held dead letter or an event in flight) does it search the whole backlog.
 *
 * <p>Only the oldest row of an aggregate can be its head, so of each aggregate in the windows just
 * that row is tested. A hot aggregate with hundreds of waiting events in a window then costs one
 * head test, not hundreds, which matters most when its head is in flight elsewhere and the windows
 * are full of its waiting events.
 */
final class HeadClaim {

  /** Windows looked through before giving up on filling the batch. */
  private static final int MAX_WINDOWS = 4;

  private final Dialect dialect;
  private final boolean holdAfterDeadLetter;

  HeadClaim(Dialect dialect, boolean holdAfterDeadLetter) {
    this.dialect = dialect;
    this.holdAfterDeadLetter = holdAfterDeadLetter;
  }

  /** The oldest due event of a window: where the next window starts and how far to scan. */
  private record DueKey(Instant due, long id) {}

  /** A window's candidates (the oldest row of each aggregate not seen before) and its end. */
  private record Window(List<Long> candidates, @Nullable DueKey last, boolean full) {}

  List<ClaimedEvent> claim(
      Connection c, String owner, Instant now, Instant leaseUntil, int limit, EventReader reader)
      throws SQLException {
    int size = 2 * limit + 100;
    List<ClaimedEvent> heads = new ArrayList<>();
    Map<String, Long> oldestSeen = new HashMap<>();
    DueKey after = null;
    boolean lastWindowFull = false;
    for (int page = 0; page < MAX_WINDOWS && heads.size() < limit; page++) {
      Window window = window(c, now, after, size, oldestSeen);
      lastWindowFull = window.full();
      if (window.last() == null) {
        break;
      }
      if (!window.candidates().isEmpty()) {
        heads.addAll(
            lock(
                c,
                owner,
                window.last().due(),
                leaseUntil,
                limit - heads.size(),
                window.candidates(),
                reader));
      }
      if (!window.full()) {
        break;
      }
      after = window.last();
    }
    if (heads.isEmpty() && lastWindowFull) {
      heads.addAll(lock(c, owner, now, leaseUntil, limit, List.of(), reader));
    }
    return heads;
  }

  /**
   * Reads the next window and keeps, per aggregate, its row with the smallest id if that is smaller
   * than any of the aggregate's rows in earlier windows: every other row has an older unsent row of
   * its aggregate, so it cannot be a head.
   */
  private Window window(
      Connection c, Instant now, @Nullable DueKey after, int size, Map<String, Long> oldestSeen)
      throws SQLException {
    Map<String, Long> oldestHere = new LinkedHashMap<>();
    int rows = 0;
    DueKey last = null;
    try (PreparedStatement ps = c.prepareStatement(dialect.selectDueWindow(after != null))) {
      int i = 1;
      dialect.setInstant(ps, i++, now);
      if (after != null) {
        dialect.setInstant(ps, i++, after.due());
        dialect.setInstant(ps, i++, after.due());
        ps.setLong(i++, after.id());
      }
      ps.setInt(i, size);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong(1);
          last = new DueKey(dialect.getInstant(rs, 2), id);
          oldestHere.merge(ClaimedEvent.key(rs.getString(3), rs.getString(4)), id, Math::min);
          rows++;
        }
      }
    }
    List<Long> candidates = new ArrayList<>(oldestHere.size());
    oldestHere.forEach(
        (aggregate, id) -> {
          Long seen = oldestSeen.get(aggregate);
          if (seen == null || id < seen) {
            candidates.add(id);
            oldestSeen.put(aggregate, id);
          }
        });
    return new Window(candidates, last, rows == size);
  }

  /**
   * Locks (and where the database allows, leases) the heads among {@code window}, or among all due
   * events when it is empty. {@code dueBound} is the window's newest due time, so the scan stops
   * where the window ends.
   */
  private List<ClaimedEvent> lock(
      Connection c,
      String owner,
      Instant dueBound,
      Instant leaseUntil,
      int limit,
      List<Long> window,
      EventReader reader)
      throws SQLException {
    boolean leased = dialect.leasesHeadsWhileClaiming();
    String sql =
        leased
            ? dialect.claimAndLeaseHeads(holdAfterDeadLetter, window.size())
            : dialect.claimHeads(holdAfterDeadLetter, window.size());
    List<ClaimedEvent> heads = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      dialect.setInstant(ps, i++, dueBound);
      Statements.bindIds(ps, i, window);
      i += window.size();
      ps.setInt(i++, limit);
      if (leased) {
        ps.setString(i++, owner);
        dialect.setInstant(ps, i, leaseUntil);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          heads.add(reader.read(rs));
        }
      }
    }
    return heads;
  }
}
