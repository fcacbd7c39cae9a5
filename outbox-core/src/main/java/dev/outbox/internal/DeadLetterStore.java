package dev.outbox.internal;

import dev.outbox.DeadLetter;
import dev.outbox.DeadLetterQuery;
import dev.outbox.DuplicateEventException;
import dev.outbox.spi.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Reads, replays and deletes dead letters: what {@link dev.outbox.DeadLetters} offers. */
public final class DeadLetterStore {

  /** Where a dead letter stood: its aggregate and its id in the events table. */
  private record Place(String aggregateType, String aggregateId, long originalId) {}

  private final Transactions tx;
  private final Sql sql;
  private final Clock clock;

  public DeadLetterStore(Transactions tx, Dialect dialect, Clock clock) {
    this.tx = tx;
    this.sql = new Sql(dialect);
    this.clock = clock;
  }

  public List<DeadLetter> list(DeadLetterQuery query) {
    return tx.inTransaction(
        "list dead letters", c -> sql.query(c, sql.dialect().selectDeadLetters(query), this::read));
  }

  public long count(DeadLetterQuery query) {
    return tx.inTransaction(
        "count dead letters",
        c -> sql.query(c, sql.dialect().countDeadLetters(query), rs -> rs.getLong(1)).get(0));
  }

  /** Puts a dead letter back in its place, or returns false when there is none. */
  public boolean replay(String eventId) {
    return tx.inTransaction(
        "replay dead letter " + eventId,
        c -> {
          int inserted;
          try {
            inserted = sql.update(c, sql.dialect().replayDeadLetter(eventId, clock.instant()));
          } catch (SQLException e) {
            if (sql.dialect().isDuplicateKey(e)) {
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

  public boolean purge(String eventId) {
    return tx.inTransaction("purge dead letter " + eventId, c -> delete(c, eventId));
  }

  private boolean delete(Connection c, String eventId) throws SQLException {
    unparkHeldEvents(c, eventId);
    return sql.update(c, sql.dialect().deleteDeadLetter(eventId)) > 0;
  }

  /**
   * Events of the dead letter's aggregate that a claim moved out of its way (see {@link
   * HeldEventParking}) become due now, not when their parking ends.
   */
  private void unparkHeldEvents(Connection c, String eventId) throws SQLException {
    List<Place> places =
        sql.query(
            c,
            sql.dialect().selectDeadLetterPlace(eventId),
            rs -> new Place(rs.getString(1), rs.getString(2), rs.getLong(3)));
    if (places.isEmpty()) {
      return;
    }
    Place place = places.get(0);
    sql.update(
        c,
        sql.dialect()
            .unparkHeldEvents(
                clock.instant(), place.aggregateType(), place.aggregateId(), place.originalId()));
  }

  private DeadLetter read(ResultSet rs) throws SQLException {
    Instant createdAt = Objects.requireNonNull(sql.dialect().getInstant(rs, 13));
    Instant deadLetteredAt = Objects.requireNonNull(sql.dialect().getInstant(rs, 14));
    return DeadLetter.builder()
        .id(rs.getLong(1))
        .eventId(rs.getString(2))
        .originalId(rs.getLong(3))
        .eventType(rs.getString(4))
        .aggregateType(rs.getString(5))
        .aggregateId(rs.getString(6))
        .topic(rs.getString(7))
        .payload(rs.getString(8))
        .headers(HeadersCodec.fromJson(rs.getString(9)))
        .traceparent(rs.getString(10))
        .attempts(rs.getInt(11))
        .lastError(rs.getString(12))
        .createdAt(createdAt)
        .deadLetteredAt(deadLetteredAt)
        .build();
  }
}
