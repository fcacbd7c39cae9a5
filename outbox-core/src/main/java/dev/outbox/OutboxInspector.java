package dev.outbox;

import dev.outbox.internal.Dialects;
import dev.outbox.internal.MaintenanceStore;
import dev.outbox.internal.Transactions;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.DialectProvider;
import dev.outbox.spi.EventStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What the outbox tables hold now, read without a dispatcher: for operators' tools such as the
 * relay's {@code outbox status} command. A running dispatcher reports the same backlog, with its
 * workers, in {@link Dispatcher#metrics()}.
 */
public final class OutboxInspector {

  private final MaintenanceStore store;

  OutboxInspector(MaintenanceStore store) {
    this.store = store;
  }

  /**
   * The database is detected from a connection.
   *
   * @param dataSource where the outbox tables are; one connection is taken to detect the database
   * @param tables the outbox's table names
   * @return the inspector
   * @throws OutboxDatabaseException if no connection can be made
   */
  public static OutboxInspector create(DataSource dataSource, OutboxTables tables) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(tables, "tables");
    try (Connection connection = dataSource.getConnection()) {
      return create(dataSource, Dialects.dialect(null, connection, tables));
    } catch (SQLException e) {
      throw new OutboxDatabaseException("connect to the outbox database", e);
    }
  }

  /**
   * An inspector of the tables on a database of this dialect.
   *
   * @param dataSource where the outbox tables are
   * @param tables the outbox's table names
   * @param dialect the database's dialect
   * @return the inspector
   */
  public static OutboxInspector create(
      DataSource dataSource, OutboxTables tables, DialectProvider dialect) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(tables, "tables");
    Objects.requireNonNull(dialect, "dialect");
    return create(dataSource, dialect.create(tables));
  }

  private static OutboxInspector create(DataSource dataSource, Dialect dialect) {
    return new OutboxInspector(new MaintenanceStore(new Transactions(dataSource), dialect));
  }

  /**
   * The events not yet sent by status, the dead letters, and when the oldest waiting event was
   * written.
   *
   * @param pending events waiting for their first attempt
   * @param retry events waiting for another attempt
   * @param processing events claimed and being published, by any dispatcher
   * @param failed events that failed for good and wait to be moved to the dead letters
   * @param deadLetters rows in the dead-letter table
   * @param oldestWaitingCreatedAt when the oldest pending or retry event was written (or replayed,
   *     if it was), or {@code null} if none
   */
  public record Backlog(
      long pending,
      long retry,
      long processing,
      long failed,
      long deadLetters,
      @Nullable Instant oldestWaitingCreatedAt) {

    /** {@return events not yet sent nor dead-lettered} */
    public long unsent() {
      return pending + retry + processing + failed;
    }
  }

  /**
   * A dispatcher instance holding leases written in the table.
   *
   * @param owner its instance id, or null on a row written without one
   * @param events how many events it holds
   * @param until when the latest of its leases expires
   */
  public record Lease(@Nullable String owner, long events, @Nullable Instant until) {}

  /**
   * An aggregate whose waiting events follow one of its dead letters: under {@link
   * DeadLetterPolicy#HOLD_AGGREGATE} none of them is published until the dead letter is replayed or
   * purged.
   *
   * @param aggregateType the aggregate's type
   * @param aggregateId the aggregate's id
   * @param waitingEvents its pending and retry events behind the dead letter
   * @param oldestWaitingCreatedAt when the first of them was written
   */
  public record HeldAggregate(
      String aggregateType,
      String aggregateId,
      long waitingEvents,
      @Nullable Instant oldestWaitingCreatedAt) {}

  /**
   * An event not yet sent nor dead-lettered.
   *
   * @param eventId the event's id
   * @param eventType the event's type
   * @param status where it stands: pending, retry, processing or failed
   * @param attempts publish attempts made so far
   * @param createdAt when it was written
   * @param lastError the error of its last attempt, or {@code null} if none failed
   */
  public record UnsentEvent(
      String eventId,
      String eventType,
      EventStatus status,
      int attempts,
      @Nullable Instant createdAt,
      @Nullable String lastError) {}

  /** {@return a few indexed counts} */
  public Backlog backlog() {
    return store.backlog();
  }

  /**
   * The instances holding leases in the table, by instance id. On PostgreSQL a dispatcher holds the
   * events it publishes by its claim's open transaction and writes a lease only for a batch whose
   * publishing outlasts three quarters of the lease, so an empty list there does not mean no
   * dispatcher is at work.
   *
   * @return one lease holder per instance id
   */
  public List<Lease> leases() {
    return store.leaseHolders();
  }

  /**
   * Up to {@code limit} aggregates whose waiting events follow one of their dead letters, the
   * longest held first.
   *
   * @param limit the most aggregates to return, more than zero
   * @return the aggregates
   * @throws IllegalArgumentException if the limit is zero or negative
   */
  public List<HeldAggregate> heldAggregates(int limit) {
    return store.heldAggregates(positive(limit));
  }

  /**
   * {@return how many aggregates are held behind dead letters: the total of {@link
   * #heldAggregates}}
   */
  public long heldAggregateCount() {
    return store.countHeldAggregates();
  }

  /**
   * Up to {@code limit} of an aggregate's events not yet sent nor dead-lettered, in its order.
   *
   * @param aggregateType the aggregate's type
   * @param aggregateId the aggregate's id
   * @param limit the most events to return, more than zero
   * @return the events, oldest first
   * @throws IllegalArgumentException if the limit is zero or negative
   */
  public List<UnsentEvent> unsentEvents(String aggregateType, String aggregateId, int limit) {
    Objects.requireNonNull(aggregateType, "aggregateType");
    Objects.requireNonNull(aggregateId, "aggregateId");
    return store.unsentEventsOf(aggregateType, aggregateId, positive(limit));
  }

  private static int positive(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    return limit;
  }
}
