package dev.outbox.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stop() {
    kafka.close();
    kafka.close(); // idempotent
  }

  @Test
  void producesAndReadsBackWithHeaders() throws Exception {
    kafka.createTopic("orders", 3);
    try (KafkaProducer<String, String> producer = producer()) {
      ProducerRecord<String, String> record = new ProducerRecord<>("orders", "order-1", "created");
      record.headers().add("event-id", "42".getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }

    List<ConsumerRecord<String, String>> records = kafka.read("orders", 1, Duration.ofSeconds(30));

    assertThat(records).hasSize(1);
    ConsumerRecord<String, String> read = records.get(0);
    assertThat(read.key()).isEqualTo("order-1");
    assertThat(read.value()).isEqualTo("created");
    assertThat(new String(read.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8))
        .isEqualTo("42");
  }

  @Test
  void readsTopicsCreatedAutomaticallyAndReturnsWhatItHasAtTheDeadline() throws Exception {
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>("auto-created", "k", "v")).get();
    }

    List<ConsumerRecord<String, String>> records =
        KafkaRecords.read(
            kafka.bootstrapServers(),
            List.of("auto-created", "never-created"),
            2,
            Duration.ofSeconds(2));

    assertThat(records).extracting(ConsumerRecord::value).containsExactly("v");
  }

  @Test
  void restartsOnTheSameAddressWithItsData() throws Exception {
    kafka.createTopic("survivor", 1);
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>("survivor", "k", "before")).get();
    }

    kafka.restart();

    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>("survivor", "k", "after")).get();
    }
    assertThat(kafka.read("survivor", 2, Duration.ofSeconds(30)))
        .extracting(ConsumerRecord::value)
        .containsExactly("before", "after");
  }

  private static KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new StringSerializer(),
        new StringSerializer());
  }
}
