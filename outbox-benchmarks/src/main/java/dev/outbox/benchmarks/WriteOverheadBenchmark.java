package dev.outbox.benchmarks;

import dev.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Business transactions with and without an outbox event in the same transaction: one of a single
 * insert, and a realistic one of three statements (read an account, update it, insert a row).
 */
final class WriteOverheadBenchmark {

  /** The business transaction measured. */
  enum Kind {
    ONE_ROW("one-row"),
    REALISTIC("3-statement");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Accounts per thread the realistic transaction reads and updates, none shared. */
  static final int ACCOUNTS_PER_THREAD = 1_000;

  /** Transactions per second without and with the outbox insert. */
  record Overhead(Kind kind, int threads, double plainTps, double withOutboxTps) {
    double ratio() {
      return plainTps / withOutboxTps;
    }
  }

  private WriteOverheadBenchmark() {}

  /**
   * Measures in four rounds of half the duration each: without, with, with, without. What drifts
   * during the measurement (the tables growing, a checkpoint, the machine's other load) then weighs
   * on both sides alike rather than on the side measured second.
   */
  static Overhead run(BenchDatabase db, BenchOptions options, Kind kind, int threads)
      throws InterruptedException {
    Duration round = options.overheadDuration().dividedBy(2);
    Rate plain = measure(db.dataSource(), round, kind, threads, false);
    Rate withOutbox = measure(db.dataSource(), round, kind, threads, true);
    withOutbox = withOutbox.plus(measure(db.dataSource(), round, kind, threads, true));
    plain = plain.plus(measure(db.dataSource(), round, kind, threads, false));
    return new Overhead(kind, threads, plain.perSecond(), withOutbox.perSecond());
  }

  /** Transactions done over the time taken. */
  private record Rate(long transactions, long nanos) {
    Rate plus(Rate other) {
      return new Rate(transactions + other.transactions, nanos + other.nanos);
    }

    double perSecond() {
      return transactions / (nanos / 1e9);
    }
  }

  private static Rate measure(
      DataSource dataSource, Duration duration, Kind kind, int threads, boolean outbox)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    String prefix = (outbox ? "o" : "p") + threads + "-" + System.nanoTime() + "-";
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      String threadPrefix = prefix + t + "-";
      int firstAccount = t * ACCOUNTS_PER_THREAD;
      Thread worker =
          new Thread(
              () -> transactions(dataSource, kind, threadPrefix, firstAccount, outbox, end, done),
              "bench-tx-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return new Rate(done.get(), System.nanoTime() - start);
  }

  private static void transactions(
      DataSource dataSource,
      Kind kind,
      String prefix,
      int firstAccount,
      boolean outbox,
      long end,
      AtomicLong done) {
    OutboxWriter writer = OutboxWriter.create();
    String filler = "z".repeat(260);
    try (Connection c = dataSource.getConnection();
        PreparedStatement business =
            c.prepareStatement("INSERT INTO bench_business (id, note) VALUES (?, ?)");
        PreparedStatement read =
            c.prepareStatement("SELECT balance FROM bench_accounts WHERE id = ?");
        PreparedStatement update =
            c.prepareStatement("UPDATE bench_accounts SET balance = ? WHERE id = ?")) {
      c.setAutoCommit(false);
      for (long i = 0; System.nanoTime() < end; i++) {
        if (kind == Kind.REALISTIC) {
          int account = firstAccount + (int) (i % ACCOUNTS_PER_THREAD);
          read.setInt(1, account);
          long balance;
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
            balance = rs.getLong(1);
          }
          update.setLong(1, balance + 1);
          update.setInt(2, account);
          update.executeUpdate();
        }
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
