package dev.outbox.peers.ours;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.kafka.KafkaPublisher;
import dev.outbox.peers.PacedWrites;
import dev.outbox.peers.PeerDrain;
import dev.outbox.peers.PeerEvents;
import dev.outbox.peers.PeerOptions;
import dev.outbox.peers.PeerOptions.Paced;
import dev.outbox.peers.PeerReport;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This library as a peer: writes the backlog with {@link OutboxWriter}, then drains it with a
 * {@link Dispatcher} and the {@link KafkaPublisher}, set up as outbox-benchmarks' own drain runs
 * them (batch size 1,000, poll interval 100 ms, the publisher's defaults). Drained means every
 * event published and marked sent in {@code outbox_events}. A paced run ({@link PacedWrites}) has
 * the same dispatcher running while the events are written.
 */
public final class PeerMain {

  /** outbox-benchmarks' BenchOptions: the batch size and poll interval of its drain. */
  static final int BATCH_SIZE = 1_000;

  static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  static final int POOL_SIZE = 10;

  private static final String ANY_LEFT =
      "SELECT 1 FROM outbox_events WHERE status IN ('pending', 'retry', 'processing') LIMIT 1";

  private PeerMain() {}

  public static void main(String[] args) throws Exception {
    PeerOptions options = PeerOptions.parse(args);
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(options.jdbcUrl());
    pool.setUsername(options.dbUser());
    pool.setPassword(options.dbPassword());
    pool.setMaximumPoolSize(POOL_SIZE);
    pool.setPoolName("peer-ours");
    String version = PeerReport.version(PeerMain.class, "/peer.properties", "version");
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      try (Connection c = dataSource.getConnection()) {
        OutboxSchema.create(c, OutboxTables.defaults());
      }
      if (options.paced().isPresent()) {
        paced(dataSource, options, options.paced().get());
        PeerReport.paced("ours", version, options.paced().get().events(), Map.of());
      } else {
        long nanos = drain(dataSource, options);
        PeerReport.drain("ours", version, options.events(), nanos, settings());
      }
    }
    System.exit(0);
  }

  private static long drain(HikariDataSource dataSource, PeerOptions options) throws Exception {
    write(dataSource, options);
    long start = System.nanoTime();
    try (Dispatcher dispatcher = dispatcher(dataSource, options)) {
      dispatcher.start();
      PeerDrain.awaitNone(dataSource, ANY_LEFT);
      return System.nanoTime() - start;
    }
  }

  /** The relay running, the paced events written one to a transaction by OutboxWriter.save. */
  private static void paced(HikariDataSource dataSource, PeerOptions options, Paced paced)
      throws Exception {
    OutboxWriter writer = OutboxWriter.create();
    try (Dispatcher dispatcher = dispatcher(dataSource, options)) {
      dispatcher.start();
      PacedWrites.run(
          paced,
          i -> {
            try (Connection c = dataSource.getConnection()) {
              c.setAutoCommit(false);
              writer.save(c, event(options, i));
              c.commit();
            }
          });
      PeerDrain.awaitPacedFinish(dataSource, ANY_LEFT);
    }
  }

  private static Dispatcher dispatcher(HikariDataSource dataSource, PeerOptions options) {
    KafkaPublisher publisher =
        KafkaPublisher.builder()
            .bootstrapServers(options.bootstrapServers())
            .clientId("peer-ours")
            .build();
    return Dispatcher.builder(dataSource)
        .publisher(publisher)
        .batchSize(BATCH_SIZE)
        .pollInterval(POLL_INTERVAL)
        .shutdownTimeout(Duration.ofSeconds(30))
        .createSchema(true)
        .build();
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("batch_size", String.valueOf(BATCH_SIZE));
    settings.put("poll_interval_ms", String.valueOf(POLL_INTERVAL.toMillis()));
    settings.put("threads", "1 event processor, claiming the next batch while one is published");
    settings.put(
        "producer", "KafkaPublisher defaults (acks=all, enable.idempotence=true, linger.ms=0)");
    settings.put("pool", "HikariCP " + POOL_SIZE);
    settings.put(
        "write", "OutboxWriter.saveAll " + PeerDrain.WRITE_TRANSACTION + " per transaction");
    settings.put("done", "every row status sent");
    return settings;
  }

  private static OutboxEvent event(PeerOptions options, int i) {
    String aggregate = PeerEvents.aggregate(i, options.aggregates());
    long sequence = PeerEvents.sequence(i, options.aggregates());
    return OutboxEvent.builder()
        .eventType("PeerEvent")
        .aggregateType("Peer")
        .aggregateId(aggregate)
        .topic(options.topic())
        .payloadJson(PeerEvents.payload(aggregate, sequence, options.payloadBytes()))
        .build();
  }

  private static void write(HikariDataSource dataSource, PeerOptions options) throws SQLException {
    OutboxWriter writer = OutboxWriter.create();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      List<OutboxEvent> chunk = new ArrayList<>(PeerDrain.WRITE_TRANSACTION);
      for (int i = 0; i < options.events(); i++) {
        chunk.add(event(options, i));
        if (chunk.size() == PeerDrain.WRITE_TRANSACTION || i == options.events() - 1) {
          writer.saveAll(c, chunk);
          c.commit();
          chunk.clear();
        }
      }
    }
  }
}
