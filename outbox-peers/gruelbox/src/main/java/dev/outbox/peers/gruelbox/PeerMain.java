package dev.outbox.peers.gruelbox;

import com.gruelbox.transactionoutbox.DefaultPersistor;
import com.gruelbox.transactionoutbox.Dialect;
import com.gruelbox.transactionoutbox.Instantiator;
import com.gruelbox.transactionoutbox.Persistor;
import com.gruelbox.transactionoutbox.Submitter;
import com.gruelbox.transactionoutbox.ThreadLocalContextTransactionManager;
import com.gruelbox.transactionoutbox.TransactionManager;
import com.gruelbox.transactionoutbox.TransactionOutbox;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outbox.peers.PacedWrites;
import dev.outbox.peers.PeerDrain;
import dev.outbox.peers.PeerEvents;
import dev.outbox.peers.PeerOptions;
import dev.outbox.peers.PeerOptions.Paced;
import dev.outbox.peers.PeerReport;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gruelbox transaction-outbox as a peer. Each event is a call {@code
 * outbox.schedule(KafkaSend.class).send(topic, aggregate, payload)} made in the writing
 * transaction; gruelbox stores it in {@code TXNO_OUTBOX} and, processing the entry, makes the real
 * call, which sends the record with a {@link KafkaProducer} and waits for the acknowledgement, then
 * deletes the entry in the same transaction that locked it.
 *
 * <p>The backlog is written with the relay not running (an outbox whose submitter does nothing),
 * due at once as a backlog older than the attempt frequency is, and drained the way gruelbox's
 * README sets up its background worker: a thread that calls {@code flush()} while it finds work,
 * then pauses; each flush takes a batch of due entries, pushes their next attempt back and hands
 * each to the submitter's executor. Drained means {@code TXNO_OUTBOX} is empty.
 *
 * <p>Version 4.2.268, the newest served here, has no ordered processing (topics came in 5.x): the
 * executor's threads process entries in parallel, so one aggregate's events may be sent out of
 * order.
 */
public final class PeerMain {

  private static final Logger LOG = LoggerFactory.getLogger(PeerMain.class);

  /** gruelbox's defaults, stated: re-attempt after 2 minutes, 4,096 entries per flush. */
  static final Duration ATTEMPT_FREQUENCY = Duration.ofMinutes(2);

  static final int FLUSH_BATCH_SIZE = 4_096;

  /**
   * The executor that processes entries. gruelbox's default has one thread (and its README no
   * count); each entry holds a connection and a transaction while its send is acknowledged, and
   * commits on its own, so more threads mean more commits shared by one flush to disk: of 4, 16, 48
   * and 96 threads tried on 10,000 events, 48 and 96 drained fastest. A queue of 16,384 as
   * gruelbox's default executor has, and a submitter that waits for room rather than leave an entry
   * to its next attempt two minutes later (ExecutorSubmitter's documentation allows either, with
   * flush() looped rather than scheduled for a waiting one).
   */
  static final int THREADS = 48;

  static final int QUEUE = 16_384;
  static final Duration FLUSH_PAUSE = Duration.ofSeconds(1);

  private static final String ANY_LEFT = "SELECT 1 FROM txno_outbox LIMIT 1";

  private PeerMain() {}

  public static void main(String[] args) throws Exception {
    PeerOptions options = PeerOptions.parse(args);
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(options.jdbcUrl());
    pool.setUsername(options.dbUser());
    pool.setPassword(options.dbPassword());
    pool.setMaximumPoolSize(THREADS + 2 + PacedWrites.WRITERS);
    pool.setPoolName("peer-gruelbox");
    String version = PeerReport.version(PeerMain.class, "/peer.properties", "version");
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      ThreadLocalContextTransactionManager transactions =
          TransactionManager.fromDataSource(dataSource);
      Persistor persistor = DefaultPersistor.builder().dialect(Dialect.POSTGRESQL_9).build();
      if (options.paced().isPresent()) {
        paced(dataSource, transactions, persistor, options, options.paced().get());
        PeerReport.paced(
            "gruelbox",
            version,
            options.paced().get().events(),
            Map.of("submit", "processNow after each commit (gruelbox's schedule), flush loop too"));
      } else {
        write(transactions, persistor, options);
        long nanos = drain(dataSource, transactions, persistor, options);
        PeerReport.drain("gruelbox", version, options.events(), nanos, settings());
      }
    }
    System.exit(0);
  }

  private static long drain(
      HikariDataSource dataSource,
      ThreadLocalContextTransactionManager transactions,
      Persistor persistor,
      PeerOptions options)
      throws Exception {
    try (Relay relay = new Relay(transactions, persistor, options)) {
      long start = System.nanoTime();
      relay.startFlushing();
      PeerDrain.awaitNone(dataSource, ANY_LEFT);
      return System.nanoTime() - start;
    }
  }

  /**
   * The relay running, the paced events scheduled one to a transaction: gruelbox submits each entry
   * to the executor once its transaction commits, and the flush loop picks up any it left.
   */
  private static void paced(
      HikariDataSource dataSource,
      ThreadLocalContextTransactionManager transactions,
      Persistor persistor,
      PeerOptions options,
      Paced paced)
      throws Exception {
    try (Relay relay = new Relay(transactions, persistor, options)) {
      relay.startFlushing();
      PacedWrites.run(
          paced, i -> transactions.inTransaction(() -> schedule(relay.outbox, options, i)));
      PeerDrain.awaitPacedFinish(dataSource, ANY_LEFT);
    }
  }

  /** gruelbox with its executor, its producer and the README's flush loop. */
  private static final class Relay implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final ThreadPoolExecutor executor;
    private final Thread flusher;
    final TransactionOutbox outbox;

    Relay(
        ThreadLocalContextTransactionManager transactions,
        Persistor persistor,
        PeerOptions options) {
      producer = producer(options);
      KafkaSend send =
          (topic, key, value) -> producer.send(new ProducerRecord<>(topic, key, value)).get();
      executor =
          new ThreadPoolExecutor(
              THREADS,
              THREADS,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(QUEUE),
              PeerMain::waitForRoom);
      outbox =
          TransactionOutbox.builder()
              .transactionManager(transactions)
              .persistor(persistor)
              .instantiator(Instantiator.using(type -> send))
              .submitter(Submitter.withExecutor(executor))
              .attemptFrequency(ATTEMPT_FREQUENCY)
              .flushBatchSize(FLUSH_BATCH_SIZE)
              .build();
      flusher = new Thread(() -> flushLoop(outbox), "gruelbox-flush");
    }

    void startFlushing() {
      flusher.start();
    }

    @Override
    public void close() throws InterruptedException {
      flusher.interrupt();
      flusher.join();
      executor.shutdown();
      executor.awaitTermination(30, TimeUnit.SECONDS);
      producer.close();
    }
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "threads", THREADS + " (ThreadPoolExecutor, queue " + QUEUE + ", submit waits when full)");
    settings.put("flush_batch_size", String.valueOf(FLUSH_BATCH_SIZE));
    settings.put("attempt_frequency_s", String.valueOf(ATTEMPT_FREQUENCY.toSeconds()));
    settings.put("flush_loop", "while(flush()) then " + FLUSH_PAUSE.toMillis() + " ms pause");
    settings.put("ordered", "off (not in 4.2.268)");
    settings.put("send", "KafkaProducer.send().get() per entry");
    settings.put("producer", "acks=all, enable.idempotence=true (Kafka defaults), linger.ms=0");
    settings.put("pool", "HikariCP " + (THREADS + 2 + PacedWrites.WRITERS));
    settings.put("write", "schedule() " + PeerDrain.WRITE_TRANSACTION + " per transaction");
    settings.put("done", "TXNO_OUTBOX empty (entries deleted)");
    return settings;
  }

  private static void schedule(TransactionOutbox outbox, PeerOptions options, int i) {
    String aggregate = PeerEvents.aggregate(i, options.aggregates());
    String payload =
        PeerEvents.payload(
            aggregate, PeerEvents.sequence(i, options.aggregates()), options.payloadBytes());
    try {
      outbox.schedule(KafkaSend.class).send(options.topic(), aggregate, payload);
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("a scheduling proxy does not send", e);
    }
  }

  /**
   * Writes the backlog through an outbox whose submitter does nothing (the relay is not running)
   * and whose clock runs one attempt frequency behind, so each entry is due at once, as in a
   * backlog older than that.
   */
  private static void write(
      ThreadLocalContextTransactionManager transactions, Persistor persistor, PeerOptions options) {
    Clock behind = Clock.offset(Clock.systemUTC(), ATTEMPT_FREQUENCY.negated());
    TransactionOutbox writer =
        TransactionOutbox.builder()
            .transactionManager(transactions)
            .persistor(persistor)
            .instantiator(
                Instantiator.using(
                    type -> {
                      throw new IllegalStateException("the writer runs nothing");
                    }))
            .submitter((entry, processNow) -> {})
            .attemptFrequency(ATTEMPT_FREQUENCY)
            .clockProvider(() -> behind)
            .build();
    for (int first = 0; first < options.events(); first += PeerDrain.WRITE_TRANSACTION) {
      int from = first;
      int to = Math.min(options.events(), first + PeerDrain.WRITE_TRANSACTION);
      transactions.inTransaction(
          () -> {
            for (int i = from; i < to; i++) {
              schedule(writer, options, i);
            }
          });
    }
  }

  private static KafkaProducer<String, String> producer(PeerOptions options) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "peer-gruelbox");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Each send is waited for: a linger would only delay it.
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** gruelbox's README worker: flush while there is work, then pause. */
  private static void flushLoop(TransactionOutbox outbox) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        while (outbox.flush()) {
          // more due entries: flush again at once
        }
      } catch (RuntimeException e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        LOG.warn("flush failed; pausing", e);
      }
      try {
        Thread.sleep(FLUSH_PAUSE.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void waitForRoom(Runnable task, ThreadPoolExecutor executor) {
    try {
      executor.getQueue().put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RejectedExecutionException("interrupted while waiting for room", e);
    }
  }
}
