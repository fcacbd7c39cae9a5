package dev.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds and locks aggregate heads among the oldest due events. A claim looks at a bounded window of
 * them (read without locks) so its cost does not grow with the backlog; when a window holds too few
 * heads it pages on, a few windows at most, and only when even those hold none at all (every one
 * waits behind a held dead letter or an event in flight) does it search the whole backlog.
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

  private record Window(List<Long> ids, @Nullable DueKey last, boolean full) {}

  List<ClaimedEvent> claim(
      Connection c, String owner, Instant now, Instant leaseUntil, int limit, EventReader reader)
      throws SQLException {
    int size = 2 * limit + 100;
    List<ClaimedEvent> heads = new ArrayList<>();
    DueKey after = null;
    boolean lastWindowFull = false;
    for (int page = 0; page < MAX_WINDOWS && heads.size() < limit; page++) {
      Window window = window(c, now, after, size);
      lastWindowFull = window.full();
      if (window.ids().isEmpty()) {
        break;
      }
      heads.addAll(
          lock(
              c,
              owner,
              window.last().due(),
              leaseUntil,
              limit - heads.size(),
              window.ids(),
              reader));
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

  private Window window(Connection c, Instant now, @Nullable DueKey after, int size)
      throws SQLException {
    List<Long> ids = new ArrayList<>(size);
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
          ids.add(id);
          last = new DueKey(dialect.getInstant(rs, 2), id);
        }
      }
    }
    return new Window(ids, last, ids.size() == size);
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
