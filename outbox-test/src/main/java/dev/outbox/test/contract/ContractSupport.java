package dev.outbox.test.contract;

import static org.awaitility.Awaitility.await;

import dev.outbox.DatabaseType;
import dev.outbox.DeadLetters;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherBuilder;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.internal.ClaimedBatch;
import dev.outbox.internal.ClaimedEvent;
import dev.outbox.internal.Dialects;
import dev.outbox.spi.Dialect;
import dev.outbox.spi.DialectProvider;
import dev.outbox.test.RecordingPublisher;
import dev.outbox.test.TestClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract test needs: a clean schema on the database under test, a hand-moved clock, a
 * recording publisher, and dispatchers that are closed after the test. A subclass per database
 * supplies the {@link DataSource}.
 */
public abstract class ContractSupport {

  protected final TestClock clock = TestClock.startingNow();
  protected final RecordingPublisher publisher = new RecordingPublisher();
  protected OutboxWriter writer;
  private final List<Dispatcher> dispatchers = new ArrayList<>();
  private final List<ClaimedBatch> claims = new ArrayList<>();

  /** The database under test; the same one may serve every test of the class. */
  protected abstract DataSource dataSource();

  @BeforeEach
  void resetSchema() throws SQLException {
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + OutboxTables.DEFAULT_EVENTS_TABLE);
      s.execute("DROP TABLE IF EXISTS " + OutboxTables.DEFAULT_DEAD_LETTERS_TABLE);
      s.execute("DROP TABLE IF EXISTS business_rows");
      s.execute("CREATE TABLE business_rows (id VARCHAR(64) PRIMARY KEY, note VARCHAR(255))");
      createSchema(c, OutboxTables.defaults());
    }
    writer = writerBuilder().build();
  }

  @AfterEach
  void closeDispatchers() {
    claims.forEach(ClaimedBatch::close);
    dispatchers.forEach(Dispatcher::close);
  }

  /**
   * The events of a claim made by the test, whose batch stays held until the test ends: where the
   * database leases by transaction, the claim's transaction stays open as a dispatcher's would
   * while it publishes.
   */
  protected List<ClaimedEvent> heldUntilTheEnd(ClaimedBatch batch) {
    claims.add(batch);
    return batch.events();
  }

  protected DatabaseType databaseType() {
    try (Connection c = dataSource().getConnection()) {
      return DatabaseType.detect(c);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The dialect under test; by default {@code null}, for the one the dispatcher detects (a built-in
   * one, or one a {@link DialectProvider} on the classpath offers).
   */
  protected @Nullable DialectProvider dialectProvider() {
    return null;
  }

  /** Creates the outbox tables with the dialect under test. */
  protected void createSchema(Connection c, OutboxTables tables) {
    DialectProvider provider = dialectProvider();
    if (provider == null) {
      OutboxSchema.create(c, tables);
    } else {
      OutboxSchema.create(c, provider, tables);
    }
  }

  /** A writer builder with the dialect under test and the test's clock. */
  protected OutboxWriter.Builder writerBuilder() {
    OutboxWriter.Builder builder = OutboxWriter.builder().clock(clock);
    DialectProvider provider = dialectProvider();
    if (provider != null) {
      builder.dialect(provider);
    }
    return builder;
  }

  /** A writer with the dialect under test that stamps its rows with the database's time. */
  protected OutboxWriter databaseTimeWriter() {
    OutboxWriter.Builder builder = OutboxWriter.builder();
    DialectProvider provider = dialectProvider();
    if (provider != null) {
      builder.dialect(provider);
    }
    return builder.build();
  }

  /** The dead letters of the default tables, with the dialect under test. */
  protected DeadLetters deadLetters() {
    DialectProvider provider = dialectProvider();
    return provider == null
        ? DeadLetters.create(dataSource(), OutboxTables.defaults())
        : DeadLetters.create(dataSource(), OutboxTables.defaults(), provider);
  }

  /** The dialect under test, for the default tables. */
  protected Dialect dialect() {
    try (Connection c = dataSource().getConnection()) {
      return Dialects.dialect(dialectProvider(), c, OutboxTables.defaults());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The state a dispatcher killed with -9 leaves behind: processing, under its lease. */
  protected void leaseAsADeadDispatcher(String eventId, int attempts) {
    inTransaction(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "UPDATE outbox_events SET status = 'processing', locked_by = 'dead:1',"
                      + " attempts = ?, locked_until = ?, next_attempt_at = NULL"
                      + " WHERE event_id = ?")) {
            ps.setInt(1, attempts);
            dialect().setInstant(ps, 2, clock.instant().plus(Duration.ofMinutes(10)));
            ps.setString(3, eventId);
            ps.executeUpdate();
          }
          c.commit();
        });
  }

  /** A started dispatcher with fast test intervals, customised by the test. */
  protected Dispatcher startDispatcher(Consumer<DispatcherBuilder> customizer) {
    return startDispatcher(dataSource(), customizer);
  }

  /** The same, on a data source of the test's (one that fails on demand, say). */
  protected Dispatcher startDispatcher(
      DataSource dataSource, Consumer<DispatcherBuilder> customizer) {
    DispatcherBuilder builder =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .clock(clock)
            .pollInterval(Duration.ofMillis(20))
            .deadLetterInterval(Duration.ofMillis(50))
            .stuckCheckInterval(Duration.ofMillis(50))
            .cleanupInterval(Duration.ofMillis(50))
            .shutdownTimeout(Duration.ofSeconds(10));
    DialectProvider provider = dialectProvider();
    if (provider != null) {
      builder.dialect(provider);
    }
    customizer.accept(builder);
    Dispatcher dispatcher = builder.build();
    dispatchers.add(dispatcher);
    dispatcher.start();
    return dispatcher;
  }

  protected Dispatcher startDispatcher() {
    return startDispatcher(b -> {});
  }

  /**
   * Returns once the dispatcher's worker of this name ({@code event-processor}, {@code
   * stuck-event-processor}…) has run twice more, an empty claim counting as a run of the event
   * processor: the first run may have begun before the caller's change, the second saw it. What a
   * negative check waits for, rather than a time.
   */
  protected static void twoMoreRuns(Dispatcher dispatcher, String worker) {
    for (int run = 0; run < 2; run++) {
      Instant before = lastRunAt(dispatcher, worker);
      eventually()
          .until(
              () -> {
                Instant last = lastRunAt(dispatcher, worker);
                return last != null && (before == null || last.isAfter(before));
              });
    }
  }

  /** {@link #twoMoreRuns} of the event processor: two more claims, empty or not. */
  protected static void twoMoreClaims(Dispatcher dispatcher) {
    twoMoreRuns(dispatcher, "event-processor");
  }

  private static @Nullable Instant lastRunAt(Dispatcher dispatcher, String worker) {
    return dispatcher.workers().stream()
        .filter(w -> w.name().equals(worker))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no worker " + worker))
        .lastRunAt();
  }

  protected static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10));
  }

  protected static OutboxEvent event(String id, String aggregateId) {
    return OutboxEvent.of(
        id, "ThingHappened", "Thing", aggregateId, "thing-events", Map.of("id", id, "n", 1));
  }

  /** Events {@code prefix}0 to {@code prefix}(count - 1) of one aggregate, in that order. */
  protected static OutboxEvent[] chain(String prefix, String aggregateId, int count) {
    OutboxEvent[] events = new OutboxEvent[count];
    for (int i = 0; i < count; i++) {
      events[i] = event(prefix + i, aggregateId);
    }
    return events;
  }

  /** Saves the events together with a business row, in one committed transaction. */
  protected void commit(OutboxEvent... events) {
    inTransaction(
        c -> {
          insertBusinessRow(c, events[0].eventId());
          writer.saveAll(c, List.of(events));
          c.commit();
        });
  }

  protected void insertBusinessRow(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO business_rows VALUES (?, ?)")) {
      ps.setString(1, "row-" + id);
      ps.setString(2, "business");
      ps.executeUpdate();
    }
  }

  @FunctionalInterface
  protected interface SqlWork {
    void run(Connection c) throws SQLException;
  }

  protected void inTransaction(SqlWork work) {
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      try {
        work.run(c);
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  protected long count(String sql, Object... params) {
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  protected String status(String eventId) {
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT status FROM outbox_events WHERE event_id = ?")) {
      ps.setString(1, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "absent";
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the database under test leases a claim by its transaction's row locks. */
  protected boolean leasesByTransaction() {
    return dialect().leasesByTransaction();
  }

  /**
   * How many of all events a dispatcher holds: leased to it in the table, or locked by its open
   * claim where the database leases by transaction.
   */
  protected long held() {
    long leased = count("SELECT COUNT(*) FROM outbox_events WHERE status = 'processing'");
    long waiting = count("SELECT COUNT(*) FROM outbox_events WHERE status IN ('pending', 'retry')");
    long free = 0;
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id FROM outbox_events WHERE status IN ('pending', 'retry')"
                      + " FOR UPDATE SKIP LOCKED");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          free++;
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return leased + waiting - free;
  }

  protected int attempts(String eventId) {
    return (int) count("SELECT attempts FROM outbox_events WHERE event_id = ?", eventId);
  }

  protected void execute(String sql, Object... params) {
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
