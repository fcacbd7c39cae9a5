package dev.outbox.peers.namastack;

import io.namastack.outbox.handler.OutboxHandler;
import io.namastack.outbox.handler.OutboxRecordMetadata;
import java.util.concurrent.ExecutionException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends each outbox record to the topic, keyed by its record key (the aggregate), and returns once
 * the broker has acknowledged it ({@code acks=all}); a failed send throws, so namastack retries the
 * record and holds its key's later records.
 *
 * <p>namastack's own Kafka module ({@code namastack-outbox-kafka}, whose {@code KafkaOutboxHandler}
 * does the same {@code send(record).get()}) is not served at 1.6.0, so this is that handler,
 * written against namastack's handler interface.
 */
final class KafkaPublishingHandler implements OutboxHandler {

  private final KafkaTemplate<String, String> kafka;
  private final String topic;

  KafkaPublishingHandler(KafkaTemplate<String, String> kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  @Override
  public void handle(Object payload, OutboxRecordMetadata metadata) {
    try {
      kafka.send(topic, metadata.getKey(), (String) payload).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka did not acknowledge the record", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while sending to Kafka", e);
    }
  }
}
