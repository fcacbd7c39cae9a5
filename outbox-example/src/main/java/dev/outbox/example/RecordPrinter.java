package dev.outbox.example;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Shows what reached Kafka: every record of the example's topics, with its headers. */
final class RecordPrinter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("dev.outbox.example.Kafka");

  private final KafkaConsumer<String, String> consumer;
  private final Thread thread;
  private final List<ConsumerRecord<String, String>> received = new ArrayList<>();

  RecordPrinter(String bootstrapServers, List<String> topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "outbox-example-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumer = new KafkaConsumer<>(props);
    consumer.subscribe(topics);
    thread = new Thread(this::run, "outbox-example-consumer");
  }

  /** Returns once the consumer has its partitions, so nothing published later is missed. */
  void start() {
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100)).forEach(this::print);
    }
    thread.start();
  }

  private void run() {
    try {
      while (true) {
        consumer.poll(Duration.ofMillis(500)).forEach(this::print);
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } finally {
      consumer.close();
    }
  }

  private void print(ConsumerRecord<String, String> record) {
    synchronized (received) {
      received.add(record);
    }
    LOG.info(
        "Received from Kafka: topic={} partition={} offset={} key={} headers={} payload={}",
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        headers(record),
        record.value());
  }

  private static String headers(ConsumerRecord<String, String> record) {
    StringJoiner joiner = new StringJoiner(", ", "{", "}");
    for (Header header : record.headers()) {
      joiner.add(header.key() + "=" + new String(header.value(), StandardCharsets.UTF_8));
    }
    return joiner.toString();
  }

  List<ConsumerRecord<String, String>> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(10_000);
  }
}
