package dev.outbox.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds and locks the events that follow claimed heads in their aggregates, so a hot aggregate is
 * not limited to one event per claim. A follower run is contiguous: it ends at the first row of the
 * aggregate that cannot go now (one being processed, a held failure or dead letter, a row someone
 * else has locked), because publishing past it would reorder the aggregate.
 */
final class FollowerClaim {

  /**
   * Followers taken per aggregate in one claim. One aggregate's events are published one round trip
   * after the other, so a longer run would not publish that aggregate faster; it would only hold
   * the rest of the batch for its length and make the candidate lookup read more rows.
   */
  static final int MAX_RUN = 50;

  private final Dialect dialect;
  private final boolean holdAfterDeadLetter;

  FollowerClaim(Dialect dialect, boolean holdAfterDeadLetter) {
    this.dialect = dialect;
    this.holdAfterDeadLetter = holdAfterDeadLetter;
  }

  /** Row of an unsent event as the candidates query returns it. */
  private record Candidate(long id, String aggregateKey, String status) {}

  List<ClaimedEvent> claim(Connection c, List<ClaimedEvent> heads, int room, EventReader reader)
      throws SQLException {
    Map<String, ClaimedEvent> headsByAggregate = new LinkedHashMap<>();
    for (ClaimedEvent head : heads) {
      headsByAggregate.merge(head.aggregateKey(), head, (a, b) -> a.id() < b.id() ? a : b);
    }
    List<String> aggregateIds =
        headsByAggregate.values().stream().map(h -> h.record().aggregateId()).distinct().toList();
    Map<String, Long> deadLetterFloor =
        holdAfterDeadLetter ? oldestDeadLetters(c, dialect, aggregateIds) : Map.of();
    int perAggregate = Math.min(room, MAX_RUN);
    List<Candidate> candidates = candidates(c, headsByAggregate.values(), perAggregate);
    candidates.sort(Comparator.comparingLong(Candidate::id));
    Map<String, Long> headIds = new HashMap<>();
    headsByAggregate.forEach((key, head) -> headIds.put(key, head.id()));
    Map<String, List<Long>> runs = runs(candidates, headIds, deadLetterFloor, room, perAggregate);
    if (runs.isEmpty()) {
      return List.of();
    }
    return lock(c, runs, reader);
  }

  private List<Candidate> candidates(Connection c, Collection<ClaimedEvent> heads, int perAggregate)
      throws SQLException {
    List<Candidate> rows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(dialect.selectFollowerCandidates(heads.size(), perAggregate))) {
      int i = 1;
      for (ClaimedEvent head : heads) {
        for (int branch = 0; branch < dialect.followerBranchesPerAggregate(); branch++) {
          ps.setString(i++, head.record().aggregateId());
          ps.setString(i++, head.record().aggregateType());
          ps.setLong(i++, head.id());
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Candidate(
                  rs.getLong(1),
                  ClaimedEvent.key(rs.getString(2), rs.getString(3)),
                  rs.getString(4)));
        }
      }
    }
    return rows;
  }

  /** The original id of the oldest dead letter of each aggregate, by aggregate key. */
  static Map<String, Long> oldestDeadLetters(
      Connection c, Dialect dialect, List<String> aggregateIds) throws SQLException {
    Map<String, Long> floors = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(dialect.selectOldestDeadLetters(aggregateIds.size()))) {
      for (int i = 0; i < aggregateIds.size(); i++) {
        ps.setString(i + 1, aggregateIds.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          floors.put(ClaimedEvent.key(rs.getString(1), rs.getString(2)), rs.getLong(3));
        }
      }
    }
    return floors;
  }

  /** Per aggregate, the ids after its head that may go now, in order; at most {@code room}. */
  private Map<String, List<Long>> runs(
      List<Candidate> candidates,
      Map<String, Long> headIds,
      Map<String, Long> deadLetterFloor,
      int room,
      int perAggregate) {
    Map<String, List<Long>> runs = new LinkedHashMap<>();
    Map<String, Integer> read = new HashMap<>();
    Set<String> ended = new HashSet<>();
    int taken = 0;
    for (Candidate row : candidates) {
      Long headId = headIds.get(row.aggregateKey());
      if (headId == null || row.id() <= headId || ended.contains(row.aggregateKey())) {
        continue;
      }
      // Each branch of the lookup stops at perAggregate rows; past that many, rows of another
      // status may follow a gap of unread ones, so the run ends there.
      if (read.merge(row.aggregateKey(), 1, Integer::sum) > perAggregate) {
        ended.add(row.aggregateKey());
        continue;
      }
      Long floor = deadLetterFloor.get(row.aggregateKey());
      boolean waiting = row.status().equals("pending") || row.status().equals("retry");
      if (row.status().equals("failed") && !holdAfterDeadLetter) {
        continue; // a gap the CONTINUE policy allows
      }
      if (!waiting || (floor != null && row.id() > floor)) {
        ended.add(row.aggregateKey());
        continue;
      }
      runs.computeIfAbsent(row.aggregateKey(), k -> new ArrayList<>()).add(row.id());
      if (++taken == room) {
        break;
      }
    }
    return runs;
  }

  private List<ClaimedEvent> lock(Connection c, Map<String, List<Long>> runs, EventReader reader)
      throws SQLException {
    List<Long> ids = runs.values().stream().flatMap(List::stream).toList();
    Map<Long, ClaimedEvent> locked = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(dialect.lockFollowers(ids.size()))) {
      for (int i = 0; i < ids.size(); i++) {
        ps.setLong(i + 1, ids.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ClaimedEvent event = reader.read(rs);
          locked.put(event.id(), event);
        }
      }
    }
    List<ClaimedEvent> followers = new ArrayList<>();
    for (List<Long> run : runs.values()) {
      for (Long id : run) {
        ClaimedEvent event = locked.get(id);
        if (event == null) {
          break; // changed or locked since it was read: the run ends before it
        }
        followers.add(event);
      }
    }
    followers.sort((a, b) -> Long.compare(a.id(), b.id()));
    return followers;
  }
}
