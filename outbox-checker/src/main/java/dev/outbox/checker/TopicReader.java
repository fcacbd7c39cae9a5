package dev.outbox.checker;

import dev.outbox.kafka.KafkaHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads every record of the checker's topics, from the beginning to the current end. */
final class TopicReader {

  private TopicReader() {}

  /** The records of each partition, in offset order (one list per partition). */
  static List<List<Delivery>> readAll(String bootstrapServers, List<String> topics) {
    List<List<Delivery>> partitions = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.CLIENT_ID_CONFIG, "outbox-checker-reader"),
            new StringDeserializer(),
            new StringDeserializer())) {
      for (String topic : topics) {
        for (var info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          TopicPartition partition = new TopicPartition(topic, info.partition());
          partitions.add(read(consumer, partition));
        }
      }
    }
    return partitions;
  }

  private static List<Delivery> read(KafkaConsumer<String, String> consumer, TopicPartition tp) {
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    long end =
        Objects.requireNonNull(consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
    List<Delivery> records = new ArrayList<>();
    while (consumer.position(tp, Duration.ofSeconds(30)) < end) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
        records.add(
            new Delivery(header(r, KafkaHeaders.EVENT_ID), Instant.ofEpochMilli(r.timestamp())));
      }
    }
    return records;
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    Header header = record.headers().lastHeader(name);
    if (header == null) {
      throw new IllegalStateException(
          "Record at "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + " has no header "
              + name);
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
