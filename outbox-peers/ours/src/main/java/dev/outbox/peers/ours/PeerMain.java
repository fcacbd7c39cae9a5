package dev.outbox.peers.ours;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.kafka.KafkaPublisher;
import dev.outbox.peers.PeerDrain;
import dev.outbox.peers.PeerEvents;
import dev.outbox.peers.PeerOptions;
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
 * event published and marked sent in {@code outbox_events}.
 */
public final class PeerMain {

  /** outbox-benchmarks' BenchOptions: the batch size and poll interval of its drain. */
  static final int BATCH_SIZE = 1_000;

  static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  static final int POOL_SIZE = 10;

  private PeerMain() {}

  public static void main(String[] args) throws Exception {
    PeerOptions options = PeerOptions.parse(args);
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(options.jdbcUrl());
    pool.setUsername(options.dbUser());
    pool.setPassword(options.dbPassword());
    pool.setMaximumPoolSize(POOL_SIZE);
    pool.setPoolName("peer-ours");
    long nanos;
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      try (Connection c = dataSource.getConnection()) {
        OutboxSchema.create(c, OutboxTables.defaults());
      }
      write(dataSource, options);
      KafkaPublisher publisher =
          KafkaPublisher.builder()
              .bootstrapServers(options.bootstrapServers())
              .clientId("peer-ours")
              .build();
      long start = System.nanoTime();
      try (Dispatcher dispatcher =
          Dispatcher.builder(dataSource)
              .publisher(publisher)
              .batchSize(BATCH_SIZE)
              .pollInterval(POLL_INTERVAL)
              .shutdownTimeout(Duration.ofSeconds(30))
              .createSchema(true)
              .build()) {
        dispatcher.start();
        PeerDrain.awaitNone(
            dataSource,
            "SELECT 1 FROM outbox_events WHERE status IN ('pending', 'retry', 'processing')"
                + " LIMIT 1");
        nanos = System.nanoTime() - start;
      }
    }
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
    PeerReport.drain(
        "ours",
        PeerReport.version(PeerMain.class, "/peer.properties", "version"),
        options.events(),
        nanos,
        settings);
    System.exit(0);
  }

  private static void write(HikariDataSource dataSource, PeerOptions options) throws SQLException {
    OutboxWriter writer = OutboxWriter.create();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      List<OutboxEvent> chunk = new ArrayList<>(PeerDrain.WRITE_TRANSACTION);
      for (int i = 0; i < options.events(); i++) {
        String aggregate = PeerEvents.aggregate(i, options.aggregates());
        long sequence = PeerEvents.sequence(i, options.aggregates());
        chunk.add(
            OutboxEvent.builder()
                .eventType("PeerEvent")
                .aggregateType("Peer")
                .aggregateId(aggregate)
                .topic(options.topic())
                .payloadJson(PeerEvents.payload(aggregate, sequence, options.payloadBytes()))
                .build());
        if (chunk.size() == PeerDrain.WRITE_TRANSACTION || i == options.events() - 1) {
          writer.saveAll(c, chunk);
          c.commit();
          chunk.clear();
        }
      }
    }
  }
}
