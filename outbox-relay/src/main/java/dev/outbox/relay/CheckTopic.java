package dev.outbox.relay;

import dev.outbox.kafka.KafkaHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code outbox check}'s topic on the user's broker: created for the run with the broker's default
 * replication, read back from its beginning, deleted at the end.
 */
final class CheckTopic {

  static final int PARTITIONS = 4;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long ADMIN_TIMEOUT_SECONDS = 30;

  /** One record read back: which event it carries, in which partition. */
  record Delivery(String eventId, int partition) {}

  private final Map<String, Object> client;
  private final String topic;

  /**
   * @param client the broker's address and the connection settings (security) of the relay
   */
  CheckTopic(Map<String, Object> client, String topic) {
    this.client = Map.copyOf(client);
    this.topic = topic;
  }

  void create() throws ExecutionException, InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(client)) {
      admin
          .createTopics(
              List.of(
                  // Deleted, never compacted: compaction would drop an aggregate's earlier events.
                  new NewTopic(topic, Optional.of(PARTITIONS), Optional.empty())
                      .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete"))))
          .all()
          .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  void delete() throws ExecutionException, InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(client)) {
      admin.deleteTopics(List.of(topic)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /**
   * Every record of each partition, in offset order, read until the records of all {@code expected}
   * events are there and then to the partitions' ends (where a duplicate would be), or until {@code
   * deadline} (a {@link System#nanoTime()}).
   */
  List<List<Delivery>> readUntil(Set<String> expected, long deadline, LongConsumer progress) {
    Map<String, Object> settings = new HashMap<>(client);
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "outbox-check-reader");
    List<List<Delivery>> partitions = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long seenExpected = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> assigned = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        assigned.add(new TopicPartition(topic, p));
        partitions.add(new ArrayList<>());
      }
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
          String eventId = eventId(r);
          partitions.get(r.partition()).add(new Delivery(eventId, r.partition()));
          if (seen.add(eventId) && expected.contains(eventId)) {
            seenExpected++;
          }
        }
        progress.accept(seenExpected);
        if (seenExpected == expected.size() && atEnd(consumer, assigned)) {
          break;
        }
      }
    }
    return partitions;
  }

  private static boolean atEnd(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    for (TopicPartition p : partitions) {
      if (consumer.position(p, Duration.ofSeconds(30)) < ends.getOrDefault(p, 0L)) {
        return false;
      }
    }
    return true;
  }

  private static String eventId(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader(KafkaHeaders.EVENT_ID);
    return header == null
        ? "(no event id at " + record.partition() + "@" + record.offset() + ")"
        : new String(header.value(), StandardCharsets.UTF_8);
  }
}
