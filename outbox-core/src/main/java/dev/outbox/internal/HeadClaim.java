package dev.outbox.internal;

import dev.outbox.spi.Dialect;
import dev.outbox.spi.EventStatus;
import dev.outbox.spi.HeadClaimQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds and locks aggregate heads among the oldest due events. A claim looks at a bounded window of
 * them (read without locks) so its cost does not grow with the backlog; when a window's heads and
 * their followers leave room in the batch it pages on, a few windows at most, and only when even
 * those hold no head at all (every one waits behind a held dead letter or an event in flight) does
 * it search the whole backlog.
 *
 * <p>Only the oldest row of an aggregate can be its head, so of each aggregate in the windows just
 * that row is tested, and the next windows leave out the aggregates already tested. Hot aggregates
 * whose heads are in flight elsewhere can fill the oldest thousands of due rows with their waiting
 * events; they then cost one head test each, and the next window reaches past them, instead of
 * every claim searching the whole backlog (half a second with 12,000 such rows).
 */
final class HeadClaim {

  private final Sql sql;
  private final boolean holdAfterDeadLetter;

  HeadClaim(Sql sql, boolean holdAfterDeadLetter) {
    this.sql = sql;
    this.holdAfterDeadLetter = holdAfterDeadLetter;
  }

  /** The oldest due event of a window: where the next window starts and how far to scan. */
  private record DueKey(Instant due, long id) {}

  /** The oldest row of an aggregate seen in the windows: the only one that can be its head. */
  private record Candidate(long id, String aggregateType, String aggregateId) {}

  /** A row of a window, in due order. */
  private record DueRow(Candidate candidate, Instant due) {}

  /** An unsent row found by the displaced-head lookup. */
  private record UnsentRow(long id, String aggregateKey, EventStatus status) {}

  /** A window's candidates (the oldest row of each aggregate not seen before) and its end. */
  private record Window(
      List<Candidate> candidates, @Nullable DueKey last, boolean full, int rows) {}

  /**
   * The heads a walk through the first window locked, and whether it tested every due row (there
   * were no more than a window's worth).
   */
  record Walk(List<ClaimedEvent> heads, boolean everyDueRowTested) {}

  /** Starts one claim's way through the windows, in the claim's transaction. */
  Search search(Connection c, Instant now, int batchSize, EventRows reader) {
    return new Search(
        c, now, ClaimTuning.windowSize(batchSize), ClaimTuning.walkedWindowSize(batchSize), reader);
  }

  /** One claim's way through the windows, oldest first. */
  final class Search {

    private final Connection c;
    private final Instant now;
    private final int size;
    private final int walkedSize;
    private final EventRows reader;
    private final Map<String, Candidate> oldestSeen = new LinkedHashMap<>();
    private final Set<Long> claimed = new HashSet<>();
    private @Nullable DueKey after;
    private int windows;
    private boolean lastWindowFull;
    private boolean firstWindowSpread;

    private Search(Connection c, Instant now, int size, int walkedSize, EventRows reader) {
      this.c = c;
      this.now = now;
      this.walkedSize = walkedSize;
      this.size = size;
      this.reader = reader;
    }

    /**
     * Locks up to {@code wanted} heads among the next window; {@code null} when there is no further
     * window to look through.
     */
    @Nullable List<ClaimedEvent> next(int wanted) throws SQLException {
      if ((windows > 0 && !lastWindowFull) || windows == ClaimTuning.MAX_WINDOWS) {
        return null;
      }
      windows++;
      Window window = window(c, now, after, size, oldestSeen);
      lastWindowFull = window.full();
      if (windows == 1) {
        firstWindowSpread =
            window.candidates().size() >= ClaimTuning.SPREAD_WINDOW_SHARE * window.rows();
      }
      if (window.last() == null) {
        return null;
      }
      after = window.last();
      if (window.candidates().isEmpty()) {
        return List.of();
      }
      // A head claimed in this transaction still reads as waiting: leases are written at the end.
      List<Long> ids =
          window.candidates().stream()
              .map(Candidate::id)
              .filter(id -> !claimed.contains(id))
              .toList();
      if (ids.isEmpty()) {
        return List.of();
      }
      List<ClaimedEvent> heads =
          remember(lock(c, window.last().due(), null, wanted, ids, true, reader));
      if (heads.size() < wanted) {
        List<Long> displaced =
            displacedHeads(c, unclaimed(window.candidates())).stream()
                .filter(id -> !claimed.contains(id))
                .toList();
        if (!displaced.isEmpty()) {
          heads = new ArrayList<>(heads);
          heads.addAll(
              remember(lock(c, now, null, wanted - heads.size(), displaced, false, reader)));
        }
      }
      return heads;
    }

    /**
     * Locks the heads among the oldest due rows, a window's worth (and the processor's own batches
     * in flight), in one statement that walks them in due order without reading them first, up to
     * the due time of the window's last row. Where those rows are mostly the heads of different
     * aggregates (a backlog spread over many), this fills the batch at a fraction of the cost of
     * reading the window and locking its candidates by id, a statement of one parameter per
     * candidate.
     */
    Walk walkFirstWindow(int wanted) throws SQLException {
      List<DueKey> end =
          sql.query(
              c,
              sql.dialect().selectDueWindowEnd(now, walkedSize),
              rs ->
                  new DueKey(
                      Objects.requireNonNull(sql.dialect().getInstant(rs, 1)), rs.getLong(2)));
      List<ClaimedEvent> heads =
          end.isEmpty()
              ? lock(c, now, null, wanted, List.of(), true, reader)
              : lock(c, end.get(0).due(), end.get(0).id(), wanted, List.of(), true, reader);
      return new Walk(remember(heads), end.isEmpty());
    }

    /**
     * Whether the first window read held mostly the oldest rows of different aggregates, so that a
     * walk through it would have found mostly heads.
     */
    boolean firstWindowSpread() {
      return firstWindowSpread;
    }

    private List<Candidate> unclaimed(Collection<Candidate> candidates) {
      return candidates.stream().filter(candidate -> !claimed.contains(candidate.id())).toList();
    }

    /** When the windows were full and held no head at all: the heads among every due event. */
    List<ClaimedEvent> lastResort(int wanted) throws SQLException {
      if (!claimed.isEmpty() || !lastWindowFull) {
        return List.of();
      }
      return remember(lock(c, now, null, wanted, List.of(), true, reader));
    }

    /**
     * When the first window did not fill the batch, the aggregates among the windows that wait
     * behind a dead letter, so the caller can move their events out of the next claims' way.
     */
    List<HeldAggregate> held() throws SQLException {
      if (!holdAfterDeadLetter || windows < 2) {
        return List.of();
      }
      return heldBehindDeadLetters(c, unclaimed(oldestSeen.values()));
    }

    private List<ClaimedEvent> remember(List<ClaimedEvent> heads) {
      for (ClaimedEvent head : heads) {
        claimed.add(head.id());
      }
      return heads;
    }
  }

  /**
   * Reads the next window and keeps, per aggregate, its row with the smallest id if that is smaller
   * than any of the aggregate's rows in earlier windows: every other row has an older unsent row of
   * its aggregate, so it cannot be a head.
   */
  private Window window(
      Connection c,
      Instant now,
      @Nullable DueKey after,
      int size,
      Map<String, Candidate> oldestSeen)
      throws SQLException {
    // By id alone, as PostgreSQL hashes a NOT IN list of values but not of rows: an aggregate of
    // another type that shares an id with a tested one waits for the next claim.
    List<String> excluded =
        oldestSeen.values().stream()
            .map(Candidate::aggregateId)
            .distinct()
            .limit(ClaimTuning.MAX_EXCLUDED_AGGREGATES)
            .toList();
    List<DueRow> rows =
        sql.query(
            c,
            sql.dialect()
                .selectDueWindow(
                    now,
                    after == null ? null : after.due(),
                    after == null ? 0 : after.id(),
                    excluded,
                    size),
            rs ->
                new DueRow(
                    new Candidate(rs.getLong(1), rs.getString(3), rs.getString(4)),
                    Objects.requireNonNull(sql.dialect().getInstant(rs, 2))));
    Map<String, Candidate> oldestHere = new LinkedHashMap<>();
    for (DueRow row : rows) {
      oldestHere.merge(
          ClaimedEvent.key(row.candidate().aggregateType(), row.candidate().aggregateId()),
          row.candidate(),
          (a, b) -> a.id() < b.id() ? a : b);
    }
    DueRow lastRow = rows.isEmpty() ? null : rows.get(rows.size() - 1);
    DueKey last = lastRow == null ? null : new DueKey(lastRow.due(), lastRow.candidate().id());
    List<Candidate> candidates = new ArrayList<>(oldestHere.size());
    oldestHere.forEach(
        (aggregate, row) -> {
          Candidate seen = oldestSeen.get(aggregate);
          if (seen == null || row.id() < seen.id()) {
            candidates.add(row);
            oldestSeen.put(aggregate, row);
          }
        });
    return new Window(candidates, last, rows.size() == size, rows.size());
  }

  /**
   * Of the aggregates whose oldest row in the windows was not claimed, those held by a dead letter.
   */
  private List<HeldAggregate> heldBehindDeadLetters(Connection c, List<Candidate> unclaimed)
      throws SQLException {
    if (unclaimed.isEmpty()) {
      return List.of();
    }
    List<String> aggregateIds =
        unclaimed.stream()
            .map(Candidate::aggregateId)
            .distinct()
            .limit(ClaimTuning.MAX_LOOKUPS)
            .toList();
    Map<String, Long> firstDeadLetter = FollowerClaim.oldestDeadLetters(c, sql, aggregateIds);
    List<HeldAggregate> held = new ArrayList<>();
    for (Candidate candidate : unclaimed) {
      Long deadLetter =
          firstDeadLetter.get(ClaimedEvent.key(candidate.aggregateType(), candidate.aggregateId()));
      if (deadLetter != null && deadLetter < candidate.id()) {
        held.add(new HeldAggregate(candidate.aggregateType(), candidate.aggregateId(), deadLetter));
      }
    }
    return held;
  }

  /**
   * The heads of aggregates whose oldest row in a window was not their head, when the head waits: a
   * head that failed and is due again later than its aggregate's younger events sits behind them in
   * due order, out of reach of the windows those events fill.
   */
  private List<Long> displacedHeads(Connection c, List<Candidate> unclaimed) throws SQLException {
    if (unclaimed.isEmpty()) {
      return List.of();
    }
    if (unclaimed.size() > ClaimTuning.MAX_LOOKUPS) {
      unclaimed = unclaimed.subList(0, ClaimTuning.MAX_LOOKUPS);
    }
    List<Dialect.AggregateStart> starts =
        unclaimed.stream()
            .map(
                candidate ->
                    new Dialect.AggregateStart(
                        candidate.aggregateType(), candidate.aggregateId(), 0))
            .toList();
    // Per aggregate, its first unsent row: the head, if it waits.
    Map<String, Long> firstRows = new HashMap<>();
    Map<String, EventStatus> statuses = new HashMap<>();
    for (UnsentRow row :
        sql.query(
            c,
            sql.dialect().selectFollowerCandidates(starts, 1),
            rs ->
                new UnsentRow(
                    rs.getLong(1),
                    ClaimedEvent.key(rs.getString(2), rs.getString(3)),
                    EventStatus.fromSql(rs.getString(4))))) {
      Long known = firstRows.get(row.aggregateKey());
      if (known == null || row.id() < known) {
        firstRows.put(row.aggregateKey(), row.id());
        statuses.put(row.aggregateKey(), row.status());
      }
    }
    List<Long> displaced = new ArrayList<>();
    for (Candidate candidate : unclaimed) {
      String key = ClaimedEvent.key(candidate.aggregateType(), candidate.aggregateId());
      Long first = firstRows.get(key);
      EventStatus status = statuses.get(key);
      if (first != null && first < candidate.id() && status != null && status.isWaiting()) {
        displaced.add(first);
      }
    }
    return displaced;
  }

  /**
   * Locks the heads among {@code window}, or among all due events when it is empty. {@code
   * dueBound} is the window's newest due time, so the scan stops where the window ends.
   */
  private List<ClaimedEvent> lock(
      Connection c,
      Instant dueBound,
      @Nullable Long lastIdAtBound,
      int limit,
      List<Long> window,
      boolean inDueOrder,
      EventRows reader)
      throws SQLException {
    return sql.query(
        c,
        sql.dialect()
            .claimHeads(
                HeadClaimQuery.dueBy(dueBound, limit)
                    .lastIdAtBound(lastIdAtBound)
                    .holdAfterDeadLetter(holdAfterDeadLetter)
                    .among(window)
                    .inDueOrder(inDueOrder)
                    .build()),
        reader::read);
  }
}
