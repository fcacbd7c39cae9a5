package dev.outbox.checker;

import com.zaxxer.hikari.HikariDataSource;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * One writer thread: business transactions at a steady pace, each inserting a business row and one
 * to three events for aggregates of a skewed mix ({@link Aggregates}), some rolled back on purpose.
 * Each aggregate's row is locked and counted in the transaction, as a business update of the
 * aggregate would, so its events' sequence numbers are its commit order.
 */
final class BusinessWriter implements Runnable {

  static final String TOPIC_PREFIX = "checker-";
  static final int TOPICS = 2;
  private static final Duration GRACE = Duration.ofMinutes(1);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(20);

  private final int id;
  private final DataSource dataSource;
  private final Ledger ledger;
  private final Aggregates aggregates;
  private final int events;
  private final long nanosPerEvent;
  private final double rollbackFraction;
  private final Random random;
  private final OutboxWriter writer = OutboxWriter.create();
  private final String filler = "x".repeat(160);
  private int transactions;

  BusinessWriter(
      int id,
      DataSource dataSource,
      Ledger ledger,
      Aggregates aggregates,
      int events,
      double eventsPerSecond,
      double rollbackFraction) {
    this.id = id;
    this.dataSource = dataSource;
    this.ledger = ledger;
    this.aggregates = aggregates;
    this.events = events;
    this.nanosPerEvent = (long) (TimeUnit.SECONDS.toNanos(1) / eventsPerSecond);
    this.rollbackFraction = rollbackFraction;
    this.random = new Random(id);
  }

  static String topicOf(String aggregateId) {
    return TOPIC_PREFIX + Math.floorMod(aggregateId.hashCode(), TOPICS);
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    // A database that stays unreachable must end the run (short of its events), not hang it.
    long giveUpAt = start + 2L * events * nanosPerEvent + GRACE.toNanos();
    int written = 0;
    while (written < events && System.nanoTime() < giveUpAt) {
      long due = start + written * nanosPerEvent;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      Map<String, Integer> perAggregate = new TreeMap<>(); // lock order: no deadlocks
      int count = Math.min(1 + random.nextInt(3), events - written);
      for (int i = 0; i < count; i++) {
        perAggregate.merge(aggregates.pick(random), 1, Integer::sum);
      }
      transactions++;
      String txId = "w" + id + "-" + transactions;
      boolean rollback = random.nextDouble() < rollbackFraction;
      written += write(txId, perAggregate, rollback);
    }
  }

  /**
   * Runs one business transaction and records its outcome exactly once; returns how many events it
   * wrote, committed or not.
   */
  private int write(String txId, Map<String, Integer> perAggregate, boolean rollback) {
    List<Ledger.Written> written = new ArrayList<>();
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      ledger.aborted(written, e);
      LockSupport.parkNanos(RETRY_PAUSE.toNanos());
      return 0;
    }
    try {
      c.setAutoCommit(false);
      insert(c, txId, perAggregate, written);
      if (rollback) {
        c.rollback();
        ledger.rolledBack(written);
      } else {
        commit(c, txId, written);
      }
    } catch (SQLException | RuntimeException e) {
      rollBackQuietly(c);
      ledger.aborted(written, e); // broken off before the commit: never committed
      discard(c);
      return written.size();
    }
    closeQuietly(c);
    return written.size();
  }

  /** The transaction's writes: sequence numbers, business row, events. */
  private void insert(
      Connection c, String txId, Map<String, Integer> perAggregate, List<Ledger.Written> written)
      throws SQLException {
    List<OutboxEvent> events = new ArrayList<>();
    for (Map.Entry<String, Integer> e : perAggregate.entrySet()) {
      long last = advance(c, e.getKey(), e.getValue());
      for (long seq = last - e.getValue() + 1; seq <= last; seq++) {
        String eventId = txId + "-" + (written.size() + 1);
        written.add(new Ledger.Written(eventId, e.getKey(), seq));
        events.add(event(eventId, e.getKey(), seq));
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO checker_business (tx_id, writer_id, events) VALUES (?, ?, ?)")) {
      ps.setString(1, txId);
      ps.setInt(2, id);
      ps.setInt(3, events.size());
      ps.executeUpdate();
    }
    writer.saveAll(c, events);
  }

  private void commit(Connection c, String txId, List<Ledger.Written> written) {
    try {
      c.commit();
    } catch (SQLException | RuntimeException e) {
      ledger.inDoubt(txId, written); // the commit may or may not have happened
      return;
    }
    ledger.committed(written);
  }

  /** Takes the next {@code count} sequence numbers of the aggregate; returns the last one. */
  private static long advance(Connection c, String aggregateId, int count) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE checker_aggregates SET next_seq = next_seq + ? WHERE id = ?")) {
      ps.setInt(1, count);
      ps.setString(2, aggregateId);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT next_seq FROM checker_aggregates WHERE id = ?")) {
      ps.setString(1, aggregateId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private OutboxEvent event(String eventId, String aggregateId, long seq) {
    OutboxEvent.Builder event =
        OutboxEvent.builder()
            .eventId(eventId)
            .eventType("Deposited")
            .aggregateType("Account")
            .aggregateId(aggregateId)
            .topic(topicOf(aggregateId))
            .payloadJson(
                "{\"account\":\""
                    + aggregateId
                    + "\",\"seq\":"
                    + seq
                    + ",\"note\":\""
                    + filler
                    + "\"}");
    String fault = aggregates.injectedFault(aggregateId, random);
    if (fault != null) {
      event.header(FaultInjectingPublisher.HEADER, fault);
    }
    return event.build();
  }

  /**
   * Takes a connection that failed out of the pool (evicting closes it), whatever the error was:
   * the pool only recognises some drivers' codes for a dead connection (not H2's "database is
   * already closed"), and a writer handed the same dead connection again would spin. Pauses a
   * moment before the next transaction.
   */
  private void discard(Connection c) {
    if (dataSource instanceof HikariDataSource pool) {
      pool.evictConnection(c);
    } else {
      closeQuietly(c);
    }
    LockSupport.parkNanos(RETRY_PAUSE.toNanos());
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // a connection killed by a fault; its outcome is already recorded
    }
  }

  private static void rollBackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // the connection is gone; the server rolls the transaction back
    }
  }
}
