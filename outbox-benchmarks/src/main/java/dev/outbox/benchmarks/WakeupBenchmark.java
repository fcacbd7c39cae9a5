package dev.outbox.benchmarks;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lone event after an idle period, from the end of its commit to the broker's acknowledgement:
 * once with {@link Dispatcher#wakeUp()} called after the commit, as the Spring {@code Outbox} bean
 * does, and once left to the poll. Two dispatchers with a long poll interval run side by side on
 * tables of their own, so both wait through the same idle period; each lone event is committed to
 * both. After the idle period and between lone events both wait at least two poll intervals (longer
 * than the dispatcher's back-off from 5 ms after work up to the full poll interval) plus a random
 * part of one, so each event finds the dispatcher left to its poll in a full poll-interval wait, at
 * a random point of it.
 */
final class WakeupBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(WakeupBenchmark.class);
  private static final OutboxTables POLLED =
      OutboxTables.of("outbox_polled_events", "outbox_polled_deadletters");
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /** Commit-to-acknowledgement in milliseconds of each lone event; NaN when never acknowledged. */
  record Wakeup(
      String engine,
      Duration pollInterval,
      Duration idle,
      List<Double> withWakeUpMs,
      List<Double> withoutWakeUpMs) {

    String line() {
      return String.format(
          Locale.ROOT,
          "wakeup: engine=%s poll_interval_ms=%d idle_s=%d events=%d with_wakeup_p50_ms=%.1f"
              + " with_wakeup_max_ms=%.1f without_wakeup_p50_ms=%.1f without_wakeup_max_ms=%.1f"
              + " unacknowledged=%d",
          engine,
          pollInterval.toMillis(),
          idle.toSeconds(),
          withWakeUpMs.size(),
          median(withWakeUpMs),
          max(withWakeUpMs),
          median(withoutWakeUpMs),
          max(withoutWakeUpMs),
          unacknowledged(withWakeUpMs) + unacknowledged(withoutWakeUpMs));
    }

    String table() {
      StringBuilder t = new StringBuilder();
      t.append(
          String.format(
              Locale.ROOT,
              "%n== %s: lone events after %d s idle, poll interval %d ms ==%n",
              engine,
              idle.toSeconds(),
              pollInterval.toMillis()));
      for (int i = 0; i < withWakeUpMs.size(); i++) {
        t.append(
            String.format(
                Locale.ROOT,
                "  lone event %d: %8.1f ms with the wake-up after commit, %8.1f ms left to the"
                    + " poll%n",
                i + 1,
                withWakeUpMs.get(i),
                withoutWakeUpMs.get(i)));
      }
      return t.toString();
    }
  }

  private WakeupBenchmark() {}

  static Wakeup run(BenchDatabase db, String bootstrapServers, BenchOptions options)
      throws SQLException, InterruptedException {
    Duration poll = options.wakeupPollInterval();
    Duration idle = options.wakeupIdle();
    int events = options.wakeupEvents();
    createPolledTables(db.dataSource());
    OutboxWriter wokenWriter = OutboxWriter.create();
    OutboxWriter polledWriter = OutboxWriter.builder().tables(POLLED).build();
    TimingPublisher wokenPublisher = Relay.publisher(bootstrapServers);
    TimingPublisher polledPublisher = Relay.publisher(bootstrapServers);
    double[] woken = new double[events];
    double[] polled = new double[events];
    SplittableRandom random = new SplittableRandom();
    try (Dispatcher wokenDispatcher =
            start(db.dataSource(), wokenPublisher, poll, OutboxTables.defaults());
        Dispatcher polledDispatcher = start(db.dataSource(), polledPublisher, poll, POLLED)) {
      // The producers' connections and the topic's metadata, as in an application running a while.
      String warmWoken = commit(db.dataSource(), wokenWriter, "warm-up");
      wokenDispatcher.wakeUp();
      String warmPolled = commit(db.dataSource(), polledWriter, "warm-up");
      polledDispatcher.wakeUp();
      awaitAck(wokenPublisher, warmWoken);
      awaitAck(polledPublisher, warmPolled);

      LOG.info(
          "[{}] idle for {} s, poll interval {} ms",
          db.engine(),
          idle.toSeconds(),
          poll.toMillis());
      Thread.sleep(idle.toMillis());
      for (int i = 0; i < events; i++) {
        String wokenId = commit(db.dataSource(), wokenWriter, "lone-" + i);
        long wokenCommitted = System.nanoTime();
        wokenDispatcher.wakeUp();
        String polledId = commit(db.dataSource(), polledWriter, "lone-" + i);
        long polledCommitted = System.nanoTime();
        woken[i] = millisSince(wokenCommitted, awaitAck(wokenPublisher, wokenId));
        polled[i] = millisSince(polledCommitted, awaitAck(polledPublisher, polledId));
        LOG.info(
            "[{}] lone event {}: {} ms with the wake-up, {} ms left to the poll",
            db.engine(),
            i + 1,
            String.format(Locale.ROOT, "%.1f", woken[i]),
            String.format(Locale.ROOT, "%.1f", polled[i]));
        if (i < events - 1) {
          Thread.sleep(poll.toMillis() * 2 + random.nextLong(poll.toMillis() + 1));
        }
      }
    }
    return new Wakeup(db.engine(), poll, idle, asList(woken), asList(polled));
  }

  private static Dispatcher start(
      DataSource dataSource, TimingPublisher publisher, Duration poll, OutboxTables tables) {
    Dispatcher dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .tables(tables)
            .pollInterval(poll)
            .shutdownTimeout(Duration.ofSeconds(30))
            .build();
    dispatcher.start();
    return dispatcher;
  }

  private static void createPolledTables(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + POLLED.events());
      s.execute("DROP TABLE IF EXISTS " + POLLED.deadLetters());
      OutboxSchema.create(c, POLLED);
    }
  }

  /** A business row and its event in one transaction; returns the event's id once committed. */
  private static String commit(DataSource dataSource, OutboxWriter writer, String aggregate)
      throws SQLException {
    OutboxEvent event = Events.event(aggregate, 0, "y".repeat(260));
    try (Connection c = dataSource.getConnection();
        PreparedStatement business =
            c.prepareStatement("INSERT INTO bench_business (id, note) VALUES (?, ?)")) {
      c.setAutoCommit(false);
      business.setString(1, event.eventId());
      business.setString(2, "business row");
      business.executeUpdate();
      writer.save(c, event);
      c.commit();
    }
    return event.eventId();
  }

  /** When the broker acknowledged the event (System.nanoTime), or -1 after {@link #ACK_TIMEOUT}. */
  private static long awaitAck(TimingPublisher publisher, String eventId)
      throws InterruptedException {
    long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Long acked = publisher.ackedAt().get(eventId);
      if (acked != null) {
        return acked;
      }
      Thread.sleep(1);
    }
    return -1;
  }

  private static double millisSince(long committed, long acked) {
    return acked < 0 ? Double.NaN : Math.max(0, acked - committed) / 1e6;
  }

  private static List<Double> asList(double[] millis) {
    return Arrays.stream(millis).boxed().toList();
  }

  private static double[] acknowledged(List<Double> millis) {
    return millis.stream()
        .mapToDouble(Double::doubleValue)
        .filter(m -> !Double.isNaN(m))
        .sorted()
        .toArray();
  }

  static double median(List<Double> millis) {
    double[] sorted = acknowledged(millis);
    return sorted.length == 0 ? Double.NaN : sorted[(sorted.length - 1) / 2];
  }

  static double max(List<Double> millis) {
    double[] sorted = acknowledged(millis);
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }

  private static long unacknowledged(List<Double> millis) {
    return millis.stream().filter(m -> m.isNaN()).count();
  }
}
