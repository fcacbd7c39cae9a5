package dev.outbox.internal;

import dev.outbox.spi.Dialect;
import dev.outbox.spi.EventStatus;
import java.sql.Connection;
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

  private final Sql sql;
  private final boolean holdAfterDeadLetter;

  FollowerClaim(Sql sql, boolean holdAfterDeadLetter) {
    this.sql = sql;
    this.holdAfterDeadLetter = holdAfterDeadLetter;
  }

  /** Row of an unsent event as the candidates query returns it. */
  private record Candidate(long id, String aggregateKey, EventStatus status) {}

  List<ClaimedEvent> claim(Connection c, List<ClaimedEvent> heads, int room, EventRows reader)
      throws SQLException {
    Map<String, ClaimedEvent> headsByAggregate = new LinkedHashMap<>();
    for (ClaimedEvent head : heads) {
      headsByAggregate.merge(head.aggregateKey(), head, (a, b) -> a.id() < b.id() ? a : b);
    }
    List<String> aggregateIds =
        headsByAggregate.values().stream().map(h -> h.record().aggregateId()).distinct().toList();
    Map<String, Long> deadLetterFloor =
        holdAfterDeadLetter ? oldestDeadLetters(c, sql, aggregateIds) : Map.of();
    int perAggregate = Math.min(room, ClaimTuning.MAX_FOLLOWER_RUN);
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
    List<Dialect.AggregateStart> starts =
        heads.stream()
            .map(
                head ->
                    new Dialect.AggregateStart(
                        head.record().aggregateType(), head.record().aggregateId(), head.id()))
            .toList();
    return sql.query(
        c,
        sql.dialect().selectFollowerCandidates(starts, perAggregate),
        rs ->
            new Candidate(
                rs.getLong(1),
                ClaimedEvent.key(rs.getString(2), rs.getString(3)),
                EventStatus.fromSql(rs.getString(4))));
  }

  /** The original id of the oldest dead letter of each aggregate, by aggregate key. */
  static Map<String, Long> oldestDeadLetters(Connection c, Sql sql, List<String> aggregateIds)
      throws SQLException {
    Map<String, Long> floors = new HashMap<>();
    for (Map.Entry<String, Long> floor :
        sql.query(
            c,
            sql.dialect().selectOldestDeadLetters(aggregateIds),
            rs -> Map.entry(ClaimedEvent.key(rs.getString(1), rs.getString(2)), rs.getLong(3)))) {
      floors.put(floor.getKey(), floor.getValue());
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
      boolean waiting = row.status().isWaiting();
      if (row.status() == EventStatus.FAILED && !holdAfterDeadLetter) {
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

  private List<ClaimedEvent> lock(Connection c, Map<String, List<Long>> runs, EventRows reader)
      throws SQLException {
    List<Long> ids = runs.values().stream().flatMap(List::stream).toList();
    Map<Long, ClaimedEvent> locked = new HashMap<>();
    for (ClaimedEvent event : sql.query(c, sql.dialect().lockFollowers(ids), reader::read)) {
      locked.put(event.id(), event);
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
