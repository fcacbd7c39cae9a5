package dev.outbox.peers.namastack;

import dev.outbox.peers.PacedWrites;
import dev.outbox.peers.PeerDrain;
import dev.outbox.peers.PeerEvents;
import dev.outbox.peers.PeerOptions;
import dev.outbox.peers.PeerOptions.Paced;
import dev.outbox.peers.PeerReport;
import io.namastack.outbox.Outbox;
import io.namastack.outbox.OutboxProcessingScheduler;
import io.namastack.outbox.partition.PartitionCoordinator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * namastack-outbox draining the benchmark's backlog: the program the harness runs in a JVM of its
 * own (see {@link PeerOptions} for its arguments).
 *
 * <ol>
 *   <li>Starts a Spring Boot application (no web server) with namastack's JDBC starter, which
 *       creates its tables itself ({@code namastack.outbox.jdbc.schema-initialization.enabled}),
 *       and a handler that sends each record to the topic, key = record key, value = payload,
 *       waiting for the broker's acknowledgement ({@code acks=all}).
 *   <li>Writes the N events with {@code outbox.schedule(payload, aggregate)}, 1,000 to a
 *       transaction, while namastack's scheduler is held ({@link HeldOutboxProcessingScheduler}).
 *   <li>Waits until namastack has assigned itself all its partitions, starts the scheduler, and
 *       measures until no record of its table is left unfinished.
 *   <li>Prints the {@code peer:} line with every setting used.
 * </ol>
 *
 * <p>The record key is the aggregate: namastack processes one key's records one after another in
 * the order they were written ({@code created_at}) and different keys in parallel, so each
 * aggregate's events reach the topic in write order.
 */
public final class PeerMain {

  /** Events written per transaction. */
  static final int WRITE_BATCH = 1_000;

  /** namastack's fixed number of partitions, all of which the one instance must own. */
  private static final int PARTITIONS = 256;

  private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(30);
  private static final long SETUP_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

  private PeerMain() {}

  public static void main(String[] args) throws Exception {
    PeerOptions options = PeerOptions.parse(args);
    if (options.paced().isPresent()) {
      paced(options, options.paced().get());
    } else {
      run(options);
    }
    System.exit(0);
  }

  /**
   * The paced run: namastack's scheduler running (once it owns its partitions) while the events are
   * scheduled one to a transaction; done when no record is left NEW, or after {@link
   * PeerDrain#PACED_FINISH}.
   */
  static String paced(PeerOptions options, Paced paced) throws Exception {
    try (ConfigurableApplicationContext context = start(options)) {
      Outbox outbox = context.getBean(Outbox.class);
      TransactionTemplate transactions = context.getBean(TransactionTemplate.class);
      awaitPartitions(context.getBean(PartitionCoordinator.class));
      context.getBean(OutboxProcessingScheduler.class).start();
      PacedWrites.run(
          paced, i -> transactions.executeWithoutResult(status -> schedule(options, outbox, i)));
      PeerDrain.awaitPacedFinish(
          context.getBean(DataSource.class),
          "SELECT 1 FROM outbox_record WHERE status = 'NEW' LIMIT 1");
      return PeerReport.paced("namastack", version(), paced.events(), Map.of());
    }
  }

  private static ConfigurableApplicationContext start(PeerOptions options) {
    SpringApplication application = new SpringApplication(NamastackPeerApplication.class);
    application.setBannerMode(Banner.Mode.OFF);
    application.setLogStartupInfo(false);
    Map<String, Object> properties = new LinkedHashMap<>(tuning(virtualThreads()));
    properties.putAll(connections(options));
    application.setDefaultProperties(properties);
    return application.run();
  }

  private static boolean virtualThreads() {
    return Runtime.version().feature() >= 21;
  }

  private static String version() {
    return PeerReport.version(PeerMain.class, "peer.properties", "namastack-outbox.version");
  }

  /** Drains the backlog and returns the {@code peer:} line it printed. */
  static String run(PeerOptions options) {
    boolean virtualThreads = virtualThreads();
    try (ConfigurableApplicationContext context = start(options)) {
      write(options, context.getBean(Outbox.class), context.getBean(TransactionTemplate.class));
      awaitPartitions(context.getBean(PartitionCoordinator.class));
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      OutboxProcessingScheduler scheduler = context.getBean(OutboxProcessingScheduler.class);
      long started = System.nanoTime();
      scheduler.start();
      awaitDrained(jdbc, options.events());
      long nanos = System.nanoTime() - started;
      Long completed =
          jdbc.queryForObject(
              "SELECT count(*) FROM outbox_record WHERE status = 'COMPLETED'", Long.class);
      if (completed == null || completed != options.events()) {
        throw new IllegalStateException(
            options.events() + " events written but " + completed + " records completed");
      }
      return PeerReport.drain(
          "namastack",
          version(),
          options.events(),
          nanos,
          settings(tuning(virtualThreads), virtualThreads));
    }
  }

  /**
   * The settings of namastack's performance documentation, "Performance Tuning" (the 1.7.x page at
   * namastack.io/outbox/reference/performance-tuning, its "Recommended Starting Points"; every
   * property it names exists in 1.6.0): fixed polling every 25 ms, keep completed records, stop a
   * key at its first failure, heartbeat 1 s, stale instance 10 s, rebalance 1 s, and then
   *
   * <ul>
   *   <li>on Java 21 and later, its "Lowest-Latency Candidate", the best result of its latest pass:
   *       virtual threads ({@code spring.threads.virtual.enabled}) with an explicit concurrency
   *       limit of 30 ("Do not leave virtual-thread concurrency unlimited"), batch size 800 keys;
   *   <li>on Java 17, which has no virtual threads, its "Platform-Thread Candidate": batch size
   *       1000 keys, executor core pool 16, max pool 32 (the executor's queue is Spring Boot's
   *       unbounded default, which the page says to keep, so 16 threads run at once).
   * </ul>
   *
   * <p>The page measured 4 and 6 instances; here one instance, in one JVM, drains the backlog, like
   * every program of the benchmark. Its database pool is Spring Boot's default (Hikari, 10
   * connections): the page does not size it, namastack holds no connection while a handler runs,
   * and 32 connections drained 20,000 events no faster here.
   */
  static Map<String, Object> tuning(boolean virtualThreads) {
    Map<String, Object> tuning = new LinkedHashMap<>();
    tuning.put("spring.threads.virtual.enabled", virtualThreads);
    tuning.put("namastack.outbox.polling.trigger", "fixed");
    tuning.put("namastack.outbox.polling.fixed.interval", "25ms");
    if (virtualThreads) {
      tuning.put("namastack.outbox.polling.batch-size", 800);
      tuning.put("namastack.outbox.processing.executor-concurrency-limit", 30);
    } else {
      tuning.put("namastack.outbox.polling.batch-size", 1000);
      tuning.put("namastack.outbox.processing.executor-core-pool-size", 16);
      tuning.put("namastack.outbox.processing.executor-max-pool-size", 32);
    }
    tuning.put("namastack.outbox.processing.stop-on-first-failure", true);
    tuning.put("namastack.outbox.processing.delete-completed-records", false);
    tuning.put("namastack.outbox.instance.heartbeat-interval", "1s");
    tuning.put("namastack.outbox.instance.stale-instance-timeout", "10s");
    tuning.put("namastack.outbox.instance.rebalance-interval", "1s");
    tuning.put("spring.datasource.hikari.maximum-pool-size", 10);
    return tuning;
  }

  private static Map<String, Object> connections(PeerOptions options) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.main.web-application-type", "none");
    properties.put("logging.level.root", "WARN");
    properties.put("spring.datasource.url", options.jdbcUrl());
    properties.put("spring.datasource.username", options.dbUser());
    properties.put("spring.datasource.password", options.dbPassword());
    properties.put("namastack.outbox.jdbc.schema-initialization.enabled", true);
    properties.put("spring.kafka.bootstrap-servers", options.bootstrapServers());
    properties.put("spring.kafka.producer.acks", "all");
    properties.put("peer.topic", options.topic());
    return properties;
  }

  /** What the report line states: the tuning, without its prefixes, and how the peer ran. */
  private static Map<String, String> settings(Map<String, Object> tuning, boolean virtualThreads) {
    Map<String, String> settings = new LinkedHashMap<>();
    tuning.forEach(
        (name, value) ->
            settings.put(
                name.replace("namastack.outbox.", "").replace("spring.", ""),
                String.valueOf(value)));
    settings.put("java", String.valueOf(Runtime.version().feature()));
    settings.put(
        "profile", virtualThreads ? "lowest-latency-candidate" : "platform-thread-candidate");
    settings.put("instances", "1");
    settings.put("write", "outbox.schedule x" + WRITE_BATCH + " per transaction");
    settings.put("handler", "KafkaTemplate.send().get() acks=all");
    settings.put("record_key", "aggregate");
    return settings;
  }

  private static void write(PeerOptions options, Outbox outbox, TransactionTemplate transactions) {
    int events = options.events();
    for (int first = 0; first < events; first += WRITE_BATCH) {
      int from = first;
      int to = Math.min(events, first + WRITE_BATCH);
      transactions.executeWithoutResult(
          status -> {
            for (int i = from; i < to; i++) {
              schedule(options, outbox, i);
            }
          });
    }
  }

  private static void schedule(PeerOptions options, Outbox outbox, int i) {
    String aggregate = PeerEvents.aggregate(i, options.aggregates());
    long sequence = PeerEvents.sequence(i, options.aggregates());
    outbox.schedule(PeerEvents.payload(aggregate, sequence, options.payloadBytes()), aggregate);
  }

  /**
   * namastack's instance registers itself and claims the partitions shortly after it starts; a
   * scheduler started before that would only find none assigned and wait for the next rebalance.
   */
  private static void awaitPartitions(PartitionCoordinator coordinator) {
    long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
    while (coordinator.getAssignedPartitionNumbers().size() < PARTITIONS) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "namastack assigned itself only "
                + coordinator.getAssignedPartitionNumbers().size()
                + " of its "
                + PARTITIONS
                + " partitions");
      }
      sleep(50);
    }
  }

  /**
   * Polls namastack's table until no record is left NEW: each record leaves that state only once
   * its handler has returned (the broker acknowledged it) and namastack has marked it COMPLETED,
   * or, after its retries, FAILED, which the caller then reports. Polls rarely while much is left,
   * then often, so that the polling costs the database little and the end is seen within 20 ms.
   */
  private static void awaitDrained(JdbcTemplate jdbc, int events) {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT_NANOS;
    while (true) {
      Long left =
          jdbc.queryForObject(
              "SELECT count(*) FROM outbox_record WHERE status = 'NEW'", Long.class);
      if (left == null || left == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(left + " of " + events + " records still NEW");
      }
      sleep(left > events / 20 ? 250 : 20);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
