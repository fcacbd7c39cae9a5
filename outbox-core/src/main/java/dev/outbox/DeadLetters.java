package dev.outbox;

import dev.outbox.internal.DatabaseClock;
import dev.outbox.internal.DeadLetterStore;
import dev.outbox.internal.Dialects;
import dev.outbox.internal.Transactions;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.DialectProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Lists, replays and purges dead letters. Get one from a started {@link Dispatcher}, or with {@link
 * #create} for an admin tool that runs no dispatcher.
 *
 * <p>Replay puts an event back into the outbox with its original id and its original place in its
 * aggregate's order, with a fresh set of attempts; the dead letter is removed in the same
 * transaction.
 */
public final class DeadLetters {

  private final DeadLetterStore store;

  DeadLetters(DeadLetterStore store) {
    this.store = store;
  }

  /**
   * For a tool that runs no dispatcher; the database is detected from a connection.
   *
   * @param dataSource where the outbox tables are
   * @param tables the outbox's table names
   * @return the dead letters of those tables
   * @throws OutboxDatabaseException if no connection can be made
   */
  public static DeadLetters create(DataSource dataSource, OutboxTables tables) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(tables, "tables");
    Dialect dialect;
    try (Connection connection = dataSource.getConnection()) {
      dialect = Dialects.dialect(null, connection, tables);
    } catch (SQLException e) {
      throw new OutboxDatabaseException("connect to the outbox database", e);
    }
    return create(dataSource, dialect);
  }

  /**
   * For a tool that runs no dispatcher, on a database of this dialect.
   *
   * @param dataSource where the outbox tables are
   * @param tables the outbox's table names
   * @param dialect the database's dialect
   * @return the dead letters of those tables
   */
  public static DeadLetters create(
      DataSource dataSource, OutboxTables tables, DialectProvider dialect) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(tables, "tables");
    Objects.requireNonNull(dialect, "dialect");
    return create(dataSource, dialect.create(tables));
  }

  /** Replays are due at once by the database's time, measured now. */
  private static DeadLetters create(DataSource dataSource, Dialect dialect) {
    Transactions tx = new Transactions(dataSource);
    DatabaseClock clock = new DatabaseClock(Clock.systemUTC());
    clock.synchronize(tx, dialect, LoggerFactory.getLogger(DeadLetters.class));
    return new DeadLetters(new DeadLetterStore(tx, dialect, clock));
  }

  /**
   * One page of dead letters matching the query, oldest first.
   *
   * @param query the filters, the id to start after and the page size
   * @return the page; fewer than the page size, or empty, at the end
   */
  public List<DeadLetter> list(DeadLetterQuery query) {
    Objects.requireNonNull(query, "query");
    return store.list(query);
  }

  /**
   * How many dead letters match the query's filters, on every page from its {@code afterId}: the
   * total of a list cut to a page.
   *
   * @param query the filters and the id to count from; its limit is ignored
   * @return the count
   */
  public long count(DeadLetterQuery query) {
    Objects.requireNonNull(query, "query");
    return store.count(query);
  }

  /**
   * Puts the dead letter with this event id back into the outbox.
   *
   * @return false if there is no such dead letter
   * @throws DuplicateEventException if the outbox holds an event with that id again
   * @param eventId the dead letter's event id
   */
  public boolean replay(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return store.replay(eventId);
  }

  /**
   * The event ids of every dead letter matching the query's filters (all pages, oldest first): what
   * {@link #replay(DeadLetterQuery)} and {@link #purge(DeadLetterQuery)} would act on.
   *
   * @param query the filters; read page by page from its {@code afterId}, its limit the page size
   * @return the event ids
   */
  public List<String> eventIds(DeadLetterQuery query) {
    Objects.requireNonNull(query, "query");
    List<String> ids = new ArrayList<>();
    DeadLetterQuery page = query;
    while (true) {
      List<DeadLetter> letters = list(page);
      letters.forEach(letter -> ids.add(letter.eventId()));
      if (letters.size() < page.limit()) {
        return ids;
      }
      page = page.after(letters.get(letters.size() - 1).id());
    }
  }

  /**
   * Replays every dead letter matching the query's filters (all pages); one whose event id is in
   * the outbox again is passed.
   *
   * @return how many were replayed
   * @throws OutboxDatabaseException if the database failed; those before it stay replayed
   * @param query the filters; every page of matches is acted on
   */
  public int replay(DeadLetterQuery query) {
    return selectMatching(DeadLetterChange.Action.REPLAY, query, "matching " + query).runAll();
  }

  /**
   * Deletes the dead letter with this event id; returns false if there was none.
   *
   * @param eventId the dead letter's event id
   * @return {@code true} if it was deleted
   */
  public boolean purge(String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return store.purge(eventId);
  }

  /**
   * Deletes every dead letter matching the query's filters (all pages).
   *
   * @return how many were deleted
   * @throws OutboxDatabaseException if the database failed; those before it stay deleted
   * @param query the filters; every page of matches is acted on
   */
  public int purge(DeadLetterQuery query) {
    return selectMatching(DeadLetterChange.Action.PURGE, query, "matching " + query).runAll();
  }

  /**
   * A replay or purge of every dead letter the filter selects now, to confirm and run. The filter
   * must select something, or say that every dead letter is meant ({@link
   * DeadLetterFilter#forBulk}).
   *
   * @param action replay or purge
   * @param filter which dead letters
   * @return the change, listing the event ids selected now
   * @throws IllegalArgumentException if the filter is empty and not meant for every dead letter
   */
  public DeadLetterChange select(DeadLetterChange.Action action, DeadLetterFilter filter) {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(filter, "filter");
    if (!filter.selectsForBulk()) {
      throw new IllegalArgumentException(
          "a filter that selects every dead letter must say so: DeadLetterFilter.forBulk(true, …)");
    }
    return selectMatching(
        action,
        filter.query().limit(DeadLetterQuery.MAX_LIMIT).build(),
        filter.isEmpty() ? "(all there are)" : "matching " + filter.describe());
  }

  /**
   * A replay or purge of the dead letters with these event ids.
   *
   * @param action replay or purge
   * @param eventIds the event ids; those no longer there count as gone when it runs
   * @return the change
   */
  public DeadLetterChange select(DeadLetterChange.Action action, List<String> eventIds) {
    Objects.requireNonNull(action, "action");
    if (eventIds.isEmpty()) {
      throw new IllegalArgumentException("eventIds: name at least one dead letter");
    }
    eventIds.forEach(id -> Objects.requireNonNull(id, "eventIds holds null"));
    return new DeadLetterChange(this, action, eventIds, DeadLetterChange.named(eventIds), false);
  }

  private DeadLetterChange selectMatching(
      DeadLetterChange.Action action, DeadLetterQuery query, String selection) {
    return new DeadLetterChange(this, action, eventIds(query), selection, true);
  }
}
