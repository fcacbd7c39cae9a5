package dev.outbox.internal;

import dev.outbox.DuplicateEventException;
import dev.outbox.OutboxDatabaseException;
import dev.outbox.OutboxEvent;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.SqlStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes validated events with multi-row inserts. A duplicate id must leave nothing behind and keep
 * the caller's transaction usable, so each dialect either skips duplicates in the statement
 * (PostgreSQL) or relies on statement-level rollback (MySQL, MariaDB, H2); rows written by earlier
 * chunks of the same call are then deleted again.
 */
public final class EventInserter {

  /** Rows per statement: well under every driver's bind-parameter limit. */
  static final int CHUNK = Chunks.MAX_PER_STATEMENT;

  /**
   * Payload characters per statement: keeps a statement of large events well under the server's
   * packet limit (MySQL's max_allowed_packet).
   */
  static final long CHUNK_CHARS = 4L * 1024 * 1024;

  private final Sql sql;

  public EventInserter(Dialect dialect) {
    this.sql = new Sql(dialect);
  }

  public void insert(Connection connection, List<OutboxEvent> events, @Nullable Instant now) {
    try {
      if (events.size() > 1 && connection.getAutoCommit()) {
        insertInOwnTransaction(connection, events, now);
      } else {
        insertChunks(connection, events, now);
      }
    } catch (SQLException e) {
      throw new OutboxDatabaseException("save " + events.size() + " outbox event(s)", e);
    }
  }

  private void insertInOwnTransaction(
      Connection connection, List<OutboxEvent> events, @Nullable Instant now) throws SQLException {
    connection.setAutoCommit(false);
    try {
      insertChunks(connection, events, now);
      connection.commit();
    } catch (RuntimeException | SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private void insertChunks(Connection connection, List<OutboxEvent> events, @Nullable Instant now)
      throws SQLException {
    List<String> written = new ArrayList<>();
    try {
      for (List<OutboxEvent> chunk : chunks(events)) {
        Set<String> duplicates = insertChunk(connection, chunk, now, written);
        if (!duplicates.isEmpty()) {
          deleteWritten(connection, written);
          throw new DuplicateEventException(List.copyOf(duplicates));
        }
      }
    } catch (SQLException e) {
      // All or none: what earlier statements wrote goes again. On PostgreSQL the transaction is
      // aborted by the failure and rolls back as a whole anyway.
      try {
        deleteWritten(connection, written);
      } catch (SQLException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Statements of at most {@link #CHUNK} rows and about {@link #CHUNK_CHARS} of payload. */
  private static List<List<OutboxEvent>> chunks(List<OutboxEvent> events) {
    List<List<OutboxEvent>> chunks = new ArrayList<>();
    int from = 0;
    long chars = 0;
    for (int i = 0; i < events.size(); i++) {
      chars += events.get(i).payload().length();
      if (i + 1 - from == CHUNK || chars >= CHUNK_CHARS || i + 1 == events.size()) {
        chunks.add(events.subList(from, i + 1));
        from = i + 1;
        chars = 0;
      }
    }
    return chunks;
  }

  /** Inserts one chunk, adds the ids it wrote to {@code written}, returns the duplicate ids. */
  private Set<String> insertChunk(
      Connection connection, List<OutboxEvent> chunk, @Nullable Instant now, List<String> written)
      throws SQLException {
    SqlStatement insert = sql.dialect().insertEvents(chunk, now);
    if (sql.dialect().insertSkipsDuplicates()) {
      Set<String> inserted = new HashSet<>(sql.query(connection, insert, rs -> rs.getString(1)));
      written.addAll(inserted);
      Set<String> duplicates = new LinkedHashSet<>();
      for (OutboxEvent event : chunk) {
        if (!inserted.contains(event.eventId())) {
          duplicates.add(event.eventId());
        }
      }
      return duplicates;
    }
    try {
      sql.update(connection, insert);
    } catch (SQLException e) {
      if (!sql.dialect().isDuplicateKey(e)) {
        throw e;
      }
      Set<String> existing = existingIds(connection, chunk);
      if (existing.isEmpty()) {
        throw e; // not an id we can name: report the database's own error
      }
      return existing;
    }
    chunk.forEach(event -> written.add(event.eventId()));
    return Set.of();
  }

  private Set<String> existingIds(Connection connection, List<OutboxEvent> chunk)
      throws SQLException {
    List<String> eventIds = chunk.stream().map(OutboxEvent::eventId).toList();
    return new LinkedHashSet<>(
        sql.query(
            connection, sql.dialect().selectExistingEventIds(eventIds), rs -> rs.getString(1)));
  }

  private void deleteWritten(Connection connection, List<String> written) throws SQLException {
    Chunks.forEach(written, chunk -> sql.update(connection, sql.dialect().deleteEvents(chunk)));
  }
}
