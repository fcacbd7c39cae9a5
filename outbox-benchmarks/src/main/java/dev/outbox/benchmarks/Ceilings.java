package dev.outbox.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the database and the broker can do with no outbox in between, measured the same way. */
final class Ceilings {

  private static final int CLAIM_BATCH = 100;

  private Ceilings() {}

  /** Records per second a bare idempotent producer (acks=all) gets acknowledged. */
  static double kafka(String bootstrapServers, int records, int payloadBytes, int keys)
      throws InterruptedException {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class);
    byte[] value = new byte[payloadBytes];
    CountDownLatch acked = new CountDownLatch(records);
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      // Untimed warm-up: metadata, connections, and the JIT of both JVMs (the first engine's run
      // would otherwise measure a cold broker).
      for (int i = 0; i < records / 4; i++) {
        var unusedWarmUp =
            producer.send(new ProducerRecord<>("bench-ceiling", "warm-up-" + (i % keys), value));
      }
      producer.send(new ProducerRecord<>("bench-ceiling", "warm-up", value)).get();
      long start = System.nanoTime();
      for (int i = 0; i < records; i++) {
        // The outcome of each send arrives through its callback.
        var unusedSend =
            producer.send(
                new ProducerRecord<>("bench-ceiling", "agg-" + (i % keys), value),
                (metadata, error) -> {
                  if (error != null) {
                    failure.set(error);
                  }
                  acked.countDown();
                });
      }
      if (!acked.await(10, TimeUnit.MINUTES) || failure.get() != null) {
        throw new IllegalStateException("bare producer failed", failure.get());
      }
      return records / seconds(start);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("bare producer failed", e.getCause());
    }
  }

  /**
   * Rows per second a bare claim loop marks: lock a batch of due rows with SKIP LOCKED through the
   * same index the relay uses, mark them, commit; one thread, until none is left.
   */
  static double claimLoop(BenchDatabase db) throws SQLException {
    String select =
        "SELECT id FROM outbox_events WHERE status IN ('pending', 'retry') AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at, id LIMIT "
            + CLAIM_BATCH
            + " FOR UPDATE SKIP LOCKED";
    Timestamp now = Timestamp.from(Instant.now().plusSeconds(86_400));
    long rows = 0;
    long start = System.nanoTime();
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      while (true) {
        List<Long> ids = new ArrayList<>(CLAIM_BATCH);
        try (PreparedStatement ps = c.prepareStatement(select)) {
          ps.setTimestamp(1, now);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getLong(1));
            }
          }
        }
        if (ids.isEmpty()) {
          c.commit();
          break;
        }
        String update =
            "UPDATE outbox_events SET status = 'sent', next_attempt_at = NULL WHERE id IN ("
                + String.join(", ", Collections.nCopies(ids.size(), "?"))
                + ")";
        try (PreparedStatement ps = c.prepareStatement(update)) {
          for (int i = 0; i < ids.size(); i++) {
            ps.setLong(i + 1, ids.get(i));
          }
          ps.executeUpdate();
        }
        c.commit();
        rows += ids.size();
      }
    }
    return rows / seconds(start);
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
