package dev.outbox.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what was published, to check it in tests: every record of some topics, from the beginning,
 * keys and values as UTF-8 strings, headers included.
 *
 * <p>The consumer is assigned all partitions directly (no consumer group, so no rebalance to wait
 * for and no committed offsets left behind), reads only committed transactional records ({@code
 * read_committed}, what a well-configured downstream consumer sees) and never creates a topic by
 * asking for it: a topic that does not exist yet is looked up again until the deadline.
 */
public final class KafkaRecords {

  private static final Duration POLL = Duration.ofMillis(100);

  private KafkaRecords() {}

  /**
   * Reads records of {@code topics} until at least {@code expected} were read or {@code timeout}
   * has passed, and returns all read so far: fewer than expected after a timeout, possibly more if
   * a poll brought more (duplicates show up this way). Records of one partition are in offset
   * order; partitions are interleaved.
   */
  public static List<ConsumerRecord<String, String>> read(
      String bootstrapServers, Collection<String> topics, int expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    Set<String> missing = new LinkedHashSet<>(topics);
    Set<TopicPartition> assigned = new HashSet<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.CLIENT_ID_CONFIG, "outbox-embedded-reader"),
            new StringDeserializer(),
            new StringDeserializer())) {
      while (records.size() < expected && System.nanoTime() < deadline) {
        if (!missing.isEmpty()) {
          assignNewPartitions(consumer, missing, assigned);
        }
        if (assigned.isEmpty()) {
          pause(deadline);
          continue;
        }
        consumer.poll(POLL).forEach(records::add);
      }
    }
    return records;
  }

  /** Looks up the partitions of topics not seen yet and reads them from their beginning. */
  private static void assignNewPartitions(
      KafkaConsumer<String, String> consumer, Set<String> missing, Set<TopicPartition> assigned) {
    List<TopicPartition> found = new ArrayList<>();
    for (String topic : List.copyOf(missing)) {
      List<PartitionInfo> partitions;
      try {
        partitions = consumer.partitionsFor(topic, POLL);
      } catch (TimeoutException e) {
        continue; // metadata not there yet: ask again on the next round
      }
      if (partitions != null && !partitions.isEmpty()) {
        missing.remove(topic);
        partitions.forEach(p -> found.add(new TopicPartition(p.topic(), p.partition())));
      }
    }
    if (!found.isEmpty()) {
      assigned.addAll(found);
      consumer.assign(assigned);
      consumer.seekToBeginning(found);
    }
  }

  private static void pause(long deadline) {
    long nanos = Math.min(POLL.toNanos(), deadline - System.nanoTime());
    if (nanos > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(nanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for topics", e);
      }
    }
  }
}
