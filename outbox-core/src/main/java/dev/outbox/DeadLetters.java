package dev.outbox;

import dev.outbox.internal.Dialect;
import dev.outbox.internal.Dialects;
import dev.outbox.internal.HeadersCodec;
import dev.outbox.internal.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Lists, replays and purges dead letters. Get one from a started {@link Dispatcher}, or with {@link
 * #create} for an admin tool that runs no dispatcher.
 *
 * <p>Replay puts an event back into the outbox with its original id and its original place in its
 * aggregate's order, with a fresh set of attempts; the dead letter is removed in the same
 * transaction.
 */
public final class DeadLetters {

  private final Transactions tx;
  private final Dialect dialect;
  private final Clock clock;

  DeadLetters(Transactions tx, Dialect dialect, Clock clock) {
    this.tx = tx;
    this.dialect = dialect;
    this.clock = clock;
  }

  public static DeadLetters create(DataSource dataSource, OutboxTables tables) {
    DatabaseType type;
    try (Connection connection = dataSource.getConnection()) {
      type = Dialects.detect(connection);
    } catch (SQLException e) {
      throw new OutboxDatabaseException("connect to the outbox database", e);
    }
    return new DeadLetters(
        new Transactions(dataSource), Dialects.forType(type, tables), Clock.systemUTC());
  }

  /** One page of dead letters matching the query, oldest first. */
  public List<DeadLetter> list(DeadLetterQuery query) {
    Objects.requireNonNull(query, "query");
    return tx.inTransaction("list dead letters", c -> select(c, query));
  }

  /**
   * Puts the dead letter with this event id back into the outbox.
   *
   * @return false if there is no such dead letter
   * @throws DuplicateEventException if the outbox holds an event with that id again
   */
  public boolean replay(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return tx.inTransaction(
        "replay dead letter " + eventId,
        c -> {
          int inserted;
          try (PreparedStatement ps = c.prepareStatement(dialect.replayDeadLetter())) {
            dialect.setInstant(ps, 1, clock.instant());
            ps.setString(2, eventId);
            inserted = ps.executeUpdate();
          } catch (SQLException e) {
            if (dialect.isDuplicateKey(e)) {
              throw new DuplicateEventException(List.of(eventId));
            }
            throw e;
          }
          if (inserted == 0) {
            return false;
          }
          delete(c, eventId);
          return true;
        });
  }

  /** Replays every dead letter matching the query's filters (all pages). */
  public int replay(DeadLetterQuery query) {
    return forEachMatch(query, this::replay);
  }

  /** Deletes the dead letter with this event id; returns false if there was none. */
  public boolean purge(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return tx.inTransaction("purge dead letter " + eventId, c -> delete(c, eventId));
  }

  /** Deletes every dead letter matching the query's filters (all pages). */
  public int purge(DeadLetterQuery query) {
    return forEachMatch(query, this::purge);
  }

  @FunctionalInterface
  private interface Action {
    boolean apply(String eventId);
  }

  private int forEachMatch(DeadLetterQuery query, Action action) {
    int done = 0;
    DeadLetterQuery page = query;
    while (true) {
      List<DeadLetter> letters = list(page);
      for (DeadLetter letter : letters) {
        if (action.apply(letter.eventId())) {
          done++;
        }
      }
      if (letters.size() < page.limit()) {
        return done;
      }
      page = page.after(letters.get(letters.size() - 1).id());
    }
  }

  private boolean delete(Connection c, String eventId) throws SQLException {
    unparkHeldEvents(c, eventId);
    try (PreparedStatement ps = c.prepareStatement(dialect.deleteDeadLetter())) {
      ps.setString(1, eventId);
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * Events of the dead letter's aggregate that a claim moved out of its way (see {@code
   * EventStore#claim}) become due now, not when their parking ends.
   */
  private void unparkHeldEvents(Connection c, String eventId) throws SQLException {
    String aggregateType;
    String aggregateId;
    long originalId;
    try (PreparedStatement ps = c.prepareStatement(dialect.selectDeadLetterPlace())) {
      ps.setString(1, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return;
        }
        aggregateType = rs.getString(1);
        aggregateId = rs.getString(2);
        originalId = rs.getLong(3);
      }
    }
    Instant now = clock.instant();
    try (PreparedStatement ps = c.prepareStatement(dialect.unparkHeldEvents())) {
      dialect.setInstant(ps, 1, now);
      ps.setString(2, aggregateId);
      ps.setString(3, aggregateType);
      ps.setLong(4, originalId);
      dialect.setInstant(ps, 5, now);
      ps.executeUpdate();
    }
  }

  private List<DeadLetter> select(Connection c, DeadLetterQuery q) throws SQLException {
    StringBuilder where = new StringBuilder(" WHERE id > ?");
    List<Object> params = new ArrayList<>();
    params.add(q.afterId());
    if (q.eventType() != null) {
      where.append(" AND event_type = ?");
      params.add(q.eventType());
    }
    if (q.aggregateType() != null) {
      where.append(" AND aggregate_type = ?");
      params.add(q.aggregateType());
    }
    if (q.aggregateId() != null) {
      where.append(" AND aggregate_id = ?");
      params.add(q.aggregateId());
    }
    if (q.from() != null) {
      where.append(" AND dead_lettered_at >= ?");
      params.add(q.from());
    }
    if (q.to() != null) {
      where.append(" AND dead_lettered_at < ?");
      params.add(q.to());
    }
    List<DeadLetter> letters = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(dialect.selectDeadLetters(where.toString()))) {
      int i = 1;
      for (Object param : params) {
        if (param instanceof Instant instant) {
          dialect.setInstant(ps, i++, instant);
        } else if (param instanceof Long id) {
          ps.setLong(i++, id);
        } else {
          ps.setString(i++, (String) param);
        }
      }
      ps.setInt(i, q.limit());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          letters.add(read(rs));
        }
      }
    }
    return letters;
  }

  private DeadLetter read(ResultSet rs) throws SQLException {
    return new DeadLetter(
        rs.getLong(1),
        rs.getLong(3),
        rs.getString(2),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(10),
        HeadersCodec.fromJson(rs.getString(9)),
        rs.getInt(11),
        rs.getString(12),
        Objects.requireNonNull(dialect.getInstant(rs, 13)),
        Objects.requireNonNull(dialect.getInstant(rs, 14)));
  }
}
