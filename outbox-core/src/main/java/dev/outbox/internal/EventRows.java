package dev.outbox.internal;

import dev.outbox.spi.Dialect;
import dev.outbox.spi.EventRecord;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;

/** Reads the event rows the claim statements return, in the dialect's event-columns order. */
final class EventRows {

  private final Dialect dialect;

  EventRows(Dialect dialect) {
    this.dialect = dialect;
  }

  ClaimedEvent read(ResultSet rs) throws SQLException {
    // id, event_id, event_type, aggregate_type, aggregate_id, topic, payload, headers,
    // traceparent, attempts, created_at, replayed_at
    long id = rs.getLong(1);
    int attempts = rs.getInt(10);
    Instant createdAt = Objects.requireNonNull(dialect.getInstant(rs, 11));
    Instant replayedAt = dialect.getInstant(rs, 12);
    EventRecord record =
        EventRecord.builder()
            .eventId(rs.getString(2))
            .eventType(rs.getString(3))
            .aggregateType(rs.getString(4))
            .aggregateId(rs.getString(5))
            .topic(rs.getString(6))
            .payload(rs.getString(7))
            .headers(HeadersCodec.fromJson(rs.getString(8)))
            .traceparent(rs.getString(9))
            .createdAt(createdAt)
            .attempt(attempts + 1)
            .build();
    return new ClaimedEvent(id, attempts, record, replayedAt != null ? replayedAt : createdAt);
  }
}
