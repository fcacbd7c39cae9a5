package dev.outbox.relay;

import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Writes {@code outbox check}'s events as an application would: transactions of one to three events
 * of one aggregate, one in ten (at random) rolled back on purpose, at a bounded rate. Each
 * aggregate belongs to one writer, so its events' order is their commit order.
 */
final class CheckWriters {

  static final String AGGREGATE_TYPE = "outbox-check";
  static final String EVENT_TYPE = "OutboxCheck";
  private static final int ROLLED_BACK_ONE_IN = 10;

  private final DataSource dataSource;
  private final OutboxWriter writer;
  private final CheckPlan plan;
  private final CheckLedger ledger = new CheckLedger();
  private volatile boolean stopped;

  CheckWriters(DataSource dataSource, OutboxWriter writer, CheckPlan plan) {
    this.dataSource = dataSource;
    this.writer = writer;
    this.plan = plan;
  }

  /** Writes every event of the plan; a database failure stops every writer and ends it. */
  CheckLedger writeAll() throws SQLException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(plan.writers());
    try {
      List<Future<Void>> writers = new ArrayList<>();
      for (int w = 0; w < plan.writers(); w++) {
        int writerIndex = w;
        writers.add(
            pool.submit(
                () -> {
                  write(writerIndex);
                  return null;
                }));
      }
      for (Future<Void> w : writers) {
        w.get();
      }
      return ledger;
    } catch (ExecutionException e) {
      stopped = true;
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      stopped = true;
      pool.shutdownNow();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  private void write(int writerIndex) throws SQLException {
    try {
      writeQuota(writerIndex);
    } catch (SQLException | RuntimeException e) {
      stopped = true;
      throw e;
    }
  }

  private void writeQuota(int writerIndex) throws SQLException {
    int writers = plan.writers();
    List<Integer> aggregates = new ArrayList<>();
    for (int a = writerIndex; a < plan.aggregates(); a += writers) {
      aggregates.add(a);
    }
    long[] sequences = new long[plan.aggregates()];
    long quota = (long) plan.events() / writers + (writerIndex < plan.events() % writers ? 1 : 0);
    long nanosPerEvent = (long) (1e9 * writers / plan.rate());
    long due = System.nanoTime();
    long committed = 0;
    int transaction = 0;
    while (committed < quota && !stopped) {
      int aggregate = aggregates.get(transaction % aggregates.size());
      boolean rollBack = ThreadLocalRandom.current().nextInt(ROLLED_BACK_ONE_IN) == 0;
      int size = (int) Math.min(quota - committed, 1 + ThreadLocalRandom.current().nextInt(3));
      String aggregateId = plan.runId() + "-" + aggregate;
      List<OutboxEvent> events = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        long sequence = sequences[aggregate] + i + 1;
        events.add(
            OutboxEvent.of(
                aggregateId + "-" + writerIndex + "." + transaction + "." + i,
                EVENT_TYPE,
                AGGREGATE_TYPE,
                aggregateId,
                plan.topic(),
                Map.of("check", plan.runId(), "sequence", sequence, "rolledBack", rollBack)));
      }
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        writer.saveAll(c, events);
        if (rollBack) {
          c.rollback();
          events.forEach(e -> ledger.rolledBack(e.eventId()));
        } else {
          c.commit();
          for (int i = 0; i < size; i++) {
            ledger.committed(events.get(i).eventId(), aggregateId, sequences[aggregate] + i + 1);
          }
          sequences[aggregate] += size;
          committed += size;
        }
      }
      transaction++;
      due += nanosPerEvent * size;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait); // the rate asked for, not a wait for a condition
      }
    }
  }
}
