package dev.outbox.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * What a peer delivered, counted from its topic read back whole: the records, the backlog's events
 * missing and duplicated, and the records <em>reordered</em>: in one partition's offset order, a
 * record of an aggregate whose sequence is lower than the highest already read for that aggregate
 * (a redelivery of an older event after a newer one counts too: a consumer sees it out of order). A
 * record whose value is not a payload of the backlog ({@link PeerEvents#payload}) is counted among
 * the records and as unreadable, in no other column.
 */
final class Deliveries {

  private static final Duration POLL = Duration.ofMillis(200);

  private final int events;
  private final int aggregates;
  private final int[] copies;
  private final Map<Integer, long[]> highestByPartition = new HashMap<>();
  private long records;
  private long unreadable;
  private long reordered;
  private int distinct;

  Deliveries(int events, int aggregates) {
    this.events = events;
    this.aggregates = aggregates;
    this.copies = new int[events];
  }

  /** Reads every record of {@code topic}, from its first offset to its end when called. */
  static Deliveries read(
      String bootstrapServers, String topic, int events, int aggregates, Duration timeout) {
    Deliveries deliveries = new Deliveries(events, aggregates);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.CLIENT_ID_CONFIG, "peers-reader"),
            new StringDeserializer(),
            new StringDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      while (!atEnd(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "read "
                  + deliveries.records
                  + " records of "
                  + topic
                  + ", not its end, in "
                  + timeout);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
          deliveries.accept(r.partition(), r.key(), r.value());
        }
      }
    }
    return deliveries;
  }

  private static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Counts one record; records of one partition must come in offset order. */
  void accept(int partition, @Nullable String key, @Nullable String value) {
    records++;
    int aggregate = -1;
    long sequence = -1;
    if (value != null) {
      try {
        aggregate = Integer.parseInt(field(value, "\"aggregate\":\"agg-", '"'));
        sequence = Long.parseLong(field(value, "\"seq\":", ','));
      } catch (RuntimeException e) {
        aggregate = -1;
      }
    }
    long index = sequence * aggregates + aggregate;
    if (aggregate < 0 || aggregate >= aggregates || sequence < 0 || index >= events) {
      unreadable++;
      return;
    }
    if (copies[(int) index]++ == 0) {
      distinct++;
    }
    long[] highest =
        highestByPartition.computeIfAbsent(
            partition,
            p -> {
              long[] fresh = new long[aggregates];
              Arrays.fill(fresh, -1);
              return fresh;
            });
    if (sequence < highest[aggregate]) {
      reordered++;
    } else {
      highest[aggregate] = sequence;
    }
  }

  /** The text between {@code prefix} and the next {@code end}; an exception if there is none. */
  private static String field(String value, String prefix, char end) {
    int start = value.indexOf(prefix);
    if (start < 0) {
      throw new IllegalArgumentException("no " + prefix);
    }
    start += prefix.length();
    int stop = value.indexOf(end, start);
    if (stop < 0) {
      throw new IllegalArgumentException("no end of " + prefix);
    }
    return value.substring(start, stop);
  }

  long records() {
    return records;
  }

  long missing() {
    return (long) events - distinct;
  }

  long duplicates() {
    return records - unreadable - distinct;
  }

  long reordered() {
    return reordered;
  }

  long unreadable() {
    return unreadable;
  }
}
