package dev.outbox.benchmarks;

import dev.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** Business transactions of one row, with and without an outbox event in the same transaction. */
final class WriteOverheadBenchmark {

  /** Transactions per second without and with the outbox insert. */
  record Overhead(int threads, double plainTps, double withOutboxTps) {
    double ratio() {
      return plainTps / withOutboxTps;
    }
  }

  private WriteOverheadBenchmark() {}

  static Overhead run(BenchDatabase db, BenchOptions options, int threads)
      throws InterruptedException {
    double plain = measure(db.dataSource(), options, threads, false);
    double withOutbox = measure(db.dataSource(), options, threads, true);
    return new Overhead(threads, plain, withOutbox);
  }

  private static double measure(
      DataSource dataSource, BenchOptions options, int threads, boolean outbox)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + options.overheadDuration().toNanos();
    String prefix = (outbox ? "o" : "p") + threads + "-" + System.nanoTime() + "-";
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      String threadPrefix = prefix + t + "-";
      Thread worker =
          new Thread(
              () -> transactions(dataSource, threadPrefix, outbox, end, done), "bench-tx-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return done.get() / Ceilings.seconds(start);
  }

  private static void transactions(
      DataSource dataSource, String prefix, boolean outbox, long end, AtomicLong done) {
    OutboxWriter writer = OutboxWriter.create();
    String filler = "z".repeat(260);
    try (Connection c = dataSource.getConnection();
        PreparedStatement business =
            c.prepareStatement("INSERT INTO bench_business (id, note) VALUES (?, ?)")) {
      c.setAutoCommit(false);
      for (long i = 0; System.nanoTime() < end; i++) {
        business.setString(1, prefix + i);
        business.setString(2, "business row");
        business.executeUpdate();
        if (outbox) {
          writer.save(c, Events.event("ovh-" + (i % 1000), i, filler));
        }
        c.commit();
        done.incrementAndGet();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("business transaction failed", e);
    }
  }
}
