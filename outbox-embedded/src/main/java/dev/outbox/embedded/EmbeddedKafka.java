package dev.outbox.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (the version of {@code kafka_2.13} on the class path, 4.x) running
 * inside this JVM in KRaft mode, one node acting as broker and controller. No Docker, no ZooKeeper,
 * about two seconds to start.
 *
 * <p>It is started through {@link KafkaRaftServer}, the class {@code kafka-server-start.sh} runs,
 * after formatting its storage with {@link StorageTool}, the class behind {@code kafka-storage.sh
 * format}. We do not use Kafka's own test harness: its test jars are not published for the newest
 * versions.
 *
 * <p>The broker listens on 127.0.0.1 on a free port ({@link #bootstrapServers()}); internal topics
 * have one replica and one partition, topics are created automatically on first use, consumer
 * groups rebalance without the initial delay. Its log directory is a fresh temporary directory,
 * deleted by {@link #close()}.
 *
 * <p>Kafka's fatal-error paths call {@link Exit#exit} or {@link Exit#halt}, which would kill the
 * whole test JVM; this class replaces them, for the whole JVM, with procedures that log and throw.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  static {
    Exit.setExitProcedure(EmbeddedKafka::refuseToExit);
    Exit.setHaltProcedure(EmbeddedKafka::refuseToExit);
  }

  private final Path directory;
  private final int brokerPort;
  private final KafkaConfig config;
  private final Thread shutdownHook = new Thread(this::close, "outbox-kafka-shutdown");
  private @Nullable KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafka(Path directory, int brokerPort, int controllerPort) {
    this.directory = directory;
    this.brokerPort = brokerPort;
    this.config = new KafkaConfig(configuration(directory, brokerPort, controllerPort));
  }

  /**
   * Leaves closing this broker at JVM exit to the caller: for an application that closes its parts
   * in order from a shutdown hook of its own, which would otherwise run beside this broker's.
   */
  public void detachShutdownHook() {
    LocalResources.detach(shutdownHook);
  }

  /** Formats storage, starts the broker and returns once it answers admin requests. */
  public static EmbeddedKafka start() {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      Path directory = LocalResources.instanceDirectory("outbox-kafka-");
      EmbeddedKafka kafka =
          new EmbeddedKafka(directory, LocalResources.freePort(), LocalResources.freePort());
      try {
        kafka.format();
        Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
        kafka.startServer();
        LOG.info(
            "Kafka started on {} in {} ms",
            kafka.bootstrapServers(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return kafka;
      } catch (RuntimeException e) {
        kafka.close();
        if (attempt >= START_ATTEMPTS) {
          throw e;
        }
        LOG.warn("Kafka did not start (attempt {}), retrying on other ports", attempt, e);
      }
    }
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /**
   * Creates a topic with one replica and waits until every partition has a leader, so producers and
   * consumers can use it at once.
   */
  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!hasLeaders(admin, name, partitions)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Topic " + name + " got no leaders within " + TIMEOUT);
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not create topic " + name, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
  }

  /**
   * Reads the records of a topic from the beginning, see {@link KafkaRecords#read(String,
   * java.util.Collection, int, Duration)}.
   */
  public List<ConsumerRecord<String, String>> read(String topic, int expected, Duration timeout) {
    return KafkaRecords.read(bootstrapServers(), List.of(topic), expected, timeout);
  }

  /**
   * Stops the broker, keeping its data and ports for {@link #restart()}; clients see it as down.
   */
  public synchronized void stop() {
    KafkaRaftServer running = server;
    if (running != null) {
      running.shutdown();
      running.awaitShutdown();
      server = null;
      LOG.info("Kafka on {} stopped", bootstrapServers());
    }
  }

  /** Starts a stopped broker again, on the same ports and with the same data. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("Kafka was closed");
    }
    stop();
    startServer();
  }

  /** Stops the broker and deletes its data. Calling it again does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } catch (RuntimeException e) {
      LOG.warn("Kafka on {} did not stop cleanly", bootstrapServers(), e);
    }
    LocalResources.release(shutdownHook, directory, LOG);
  }

  private static Map<String, String> configuration(Path dir, int brokerPort, int controllerPort) {
    return Map.ofEntries(
        Map.entry("process.roles", "broker,controller"),
        Map.entry("node.id", "1"),
        Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
        Map.entry(
            "listeners",
            "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
        Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
        Map.entry("controller.listener.names", "CONTROLLER"),
        Map.entry("inter.broker.listener.name", "PLAINTEXT"),
        Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
        Map.entry("log.dirs", dir.resolve("logs").toString()),
        Map.entry("auto.create.topics.enable", "true"),
        Map.entry("num.partitions", "1"),
        Map.entry("default.replication.factor", "1"),
        Map.entry("min.insync.replicas", "1"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "1"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("transaction.state.log.num.partitions", "1"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        // Few threads and a small cleaner buffer: this broker shares 2 cores with the tests.
        Map.entry("num.network.threads", "2"),
        Map.entry("num.io.threads", "2"),
        Map.entry("background.threads", "2"),
        Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024)));
  }

  /** {@code kafka-storage.sh format --config <file> --cluster-id <random>}. */
  private void format() {
    Path file = directory.resolve("server.properties");
    Properties properties = new Properties();
    properties.putAll(config.originals());
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (OutputStream out = Files.newOutputStream(file);
        PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      properties.store(out, "dev.outbox.embedded.EmbeddedKafka");
      String[] arguments = {
        "format", "--config", file.toString(), "--cluster-id", Uuid.randomUuid().toString()
      };
      int exitCode = StorageTool.execute(arguments, print);
      if (exitCode != 0) {
        throw new IllegalStateException("Formatting Kafka storage failed: " + output);
      }
      LOG.debug("Formatted Kafka storage: {}", output);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
  }

  private void startServer() {
    KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
    server = starting;
    starting.startup();
    awaitReady();
  }

  /** The listener accepts connections before the broker can serve them; ask it for real. */
  private void awaitReady() {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          LOG.debug("Kafka not ready yet", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka was not ready within " + TIMEOUT);
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
  }

  private static boolean hasLeaders(Admin admin, String topic, int partitions)
      throws InterruptedException {
    try {
      TopicDescription description =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      return description != null
          && description.partitions().size() == partitions
          && description.partitions().stream().allMatch(p -> p.leader() != null);
    } catch (ExecutionException e) {
      return false; // not known to this broker's metadata yet
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000"));
  }

  private static void refuseToExit(int statusCode, String message) {
    LOG.error("Kafka asked to end the JVM (status {}): {}", statusCode, message);
    throw new IllegalStateException("Kafka asked to end the JVM: " + message);
  }
}
