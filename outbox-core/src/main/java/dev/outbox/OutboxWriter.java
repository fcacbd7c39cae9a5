package dev.outbox;

import dev.outbox.internal.Dialects;
import dev.outbox.internal.EventInserter;
import dev.outbox.spi.DialectProvider;
import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Saves events into the outbox inside the caller's transaction. Nothing is published unless that
 * transaction commits.
 *
 * <pre>{@code
 * OutboxWriter writer = OutboxWriter.create();
 * try (Connection c = dataSource.getConnection()) {
 *   c.setAutoCommit(false);
 *   insertUser(c, user);
 *   writer.save(c, OutboxEvent.of(id, "UserCreated", "User", user.id(), "user-events", map));
 *   c.commit();
 * }
 * }</pre>
 *
 * <p>Every call either writes all its events or none. Invalid input ({@link InvalidEventException})
 * and duplicate ids ({@link DuplicateEventException}) are refused without breaking the caller's
 * transaction, which can go on or commit. Instances are thread-safe.
 */
public final class OutboxWriter {

  /** Payloads larger than this many UTF-8 bytes are refused unless configured otherwise. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

  private final OutboxTables tables;
  private final @Nullable DialectProvider dialect;
  private final @Nullable Clock clock;
  private final int maxPayloadBytes;
  private final UnaryOperator<OutboxEvent> beforeSave;
  private volatile @Nullable EventInserter inserter;

  private OutboxWriter(Builder b) {
    this.tables = b.tables;
    this.dialect = b.dialect;
    this.clock = b.clock;
    this.maxPayloadBytes = b.maxPayloadBytes;
    this.beforeSave = b.beforeSave;
  }

  /**
   * {@return a writer for the default tables that detects the database from the first connection}
   */
  public static OutboxWriter create() {
    return builder().build();
  }

  /** {@return a builder, for other tables, a fixed dialect, a clock or a payload limit} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Saves one event in the connection's current transaction.
   *
   * @param connection the connection whose transaction the event joins; left open, not committed
   * @param event the event
   * @throws InvalidEventException if the event is invalid; nothing was written
   * @throws DuplicateEventException if its event id is already in the outbox; nothing was written
   * @throws OutboxDatabaseException if the insert fails otherwise
   */
  public void save(Connection connection, OutboxEvent event) {
    saveAll(connection, List.of(Objects.requireNonNull(event, "event")));
  }

  /**
   * Saves events in the connection's current transaction, atomically: all or none. With auto-commit
   * on, the events are written in one transaction of their own.
   *
   * @param connection the connection whose transaction the events join; left open, not committed
   * @param events the events, saved in iteration order, which is their order within an aggregate
   * @throws InvalidEventException if an event is invalid; nothing was written
   * @throws DuplicateEventException if an event id is already in the outbox or repeated in the
   *     batch; nothing was written
   * @throws OutboxDatabaseException if the insert fails otherwise
   */
  public void saveAll(Connection connection, Collection<OutboxEvent> events) {
    Objects.requireNonNull(connection, "connection");
    List<OutboxEvent> batch = new ArrayList<>(events.size());
    Set<String> ids = new HashSet<>();
    List<String> repeated = new ArrayList<>();
    int index = 0;
    for (OutboxEvent given : events) {
      if (given == null) {
        throw new InvalidEventException("events[" + index + "]", "must not be null");
      }
      OutboxEvent event = beforeSave.apply(given);
      if (event == null) {
        throw new InvalidEventException(
            "events[" + index + "]", "became null in the writer's beforeSave");
      }
      checkPayloadSize(event);
      if (!ids.add(event.eventId())) {
        repeated.add(event.eventId());
      }
      batch.add(event);
      index++;
    }
    if (!repeated.isEmpty()) {
      throw new DuplicateEventException(repeated);
    }
    if (!batch.isEmpty()) {
      // Without a clock of the caller's, the database stamps the rows with its own time.
      inserter(connection).insert(connection, batch, clock == null ? null : clock.instant());
    }
  }

  private void checkPayloadSize(OutboxEvent event) {
    long bytes = utf8Length(event.payload());
    if (bytes > maxPayloadBytes) {
      throw new InvalidEventException(
          "payload",
          "of event "
              + event.eventId()
              + " is "
              + bytes
              + " bytes (UTF-8); at most "
              + maxPayloadBytes
              + " allowed (maxPayloadBytes)");
    }
  }

  private static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private EventInserter inserter(Connection connection) {
    EventInserter current = inserter;
    if (current == null) {
      current = new EventInserter(Dialects.dialect(dialect, connection, tables));
      inserter = current;
    }
    return current;
  }

  /** Configures an {@link OutboxWriter}. */
  public static final class Builder {
    private OutboxTables tables = OutboxTables.defaults();
    private @Nullable DialectProvider dialect;
    private @Nullable Clock clock;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private UnaryOperator<OutboxEvent> beforeSave = UnaryOperator.identity();

    private Builder() {}

    /**
     * Table names; default {@code outbox_events} and {@code outbox_deadletters}.
     *
     * @param tables the table names
     * @return this builder
     */
    public Builder tables(OutboxTables tables) {
      this.tables = Objects.requireNonNull(tables, "tables");
      return this;
    }

    /**
     * The database's dialect, such as {@link DatabaseType#POSTGRESQL}, when it should not be
     * detected from the first connection (see {@link DialectProvider}).
     *
     * @param dialect the dialect
     * @return this builder
     */
    public Builder dialect(DialectProvider dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * A clock to stamp {@code created_at} and the first due time with instead of the database's
     * time: for tests that move a clock by hand, whose dispatchers run with {@code
     * databaseTime(false)} on the same clock.
     *
     * @param clock the clock shared with the dispatchers
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The largest payload saved, in UTF-8 bytes; a larger one is refused with an {@link
     * InvalidEventException}. Default {@value OutboxWriter#DEFAULT_MAX_PAYLOAD_BYTES}.
     *
     * @param maxPayloadBytes the limit, more than zero
     * @return this builder
     * @throws IllegalArgumentException if the limit is zero or negative
     */
    public Builder maxPayloadBytes(int maxPayloadBytes) {
      if (maxPayloadBytes <= 0) {
        throw new IllegalArgumentException("maxPayloadBytes must be > 0, was " + maxPayloadBytes);
      }
      this.maxPayloadBytes = maxPayloadBytes;
      return this;
    }

    /**
     * Applied to every event before it is saved, in the caller's thread: to add what the event's
     * creator did not, such as the current trace context ({@code OutboxTracing} of {@code
     * outbox-opentelemetry}). Must return an event, the given one when it has nothing to add.
     *
     * @param beforeSave returns the event to save, never {@code null}; called for every event
     * @return this builder
     */
    public Builder beforeSave(UnaryOperator<OutboxEvent> beforeSave) {
      this.beforeSave = Objects.requireNonNull(beforeSave, "beforeSave");
      return this;
    }

    /** {@return the writer; it connects to nothing until its first save} */
    public OutboxWriter build() {
      return new OutboxWriter(this);
    }
  }
}
