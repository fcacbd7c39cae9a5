package dev.outbox.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outbox.DispatcherMetrics;
import dev.outbox.OutboxEvent;
import dev.outbox.kafka.KafkaHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The example's main flow on an embedded database and an in-process Kafka broker. */
class ExampleAppTest {

  @Test
  void theThreeEventsOfOneTransactionArriveInKafkaAndShutdownIsClean() throws Exception {
    ExampleApp app = new ExampleApp(ExampleOptions.parse(new String[0], Map.of()));
    try {
      List<OutboxEvent> written = app.start();

      await().atMost(Duration.ofSeconds(30)).until(() -> app.printer().received().size() >= 3);
      List<ConsumerRecord<String, String>> received = app.printer().received();
      assertThat(received).hasSize(3);
      for (OutboxEvent event : written) {
        ConsumerRecord<String, String> record =
            received.stream()
                .filter(
                    r ->
                        event
                            .eventId()
                            .equals(KafkaHeaders.lastValue(r.headers(), KafkaHeaders.EVENT_ID)))
                .findFirst()
                .orElseThrow();
        assertThat(record.topic()).isEqualTo(event.topic());
        assertThat(record.key()).isEqualTo(event.aggregateId());
        assertThat(record.value()).isEqualTo(event.payload());
        assertThat(KafkaHeaders.lastValue(record.headers(), KafkaHeaders.EVENT_TYPE))
            .isEqualTo(event.eventType());
        assertThat(KafkaHeaders.lastValue(record.headers(), KafkaHeaders.TRACEPARENT))
            .isEqualTo(event.traceparent());
      }
      assertThat(written)
          .extracting(OutboxEvent::eventType)
          .containsExactly("UserCreated", "UserUpdated", "OrderCreated");
      assertThat(received.stream().filter(r -> r.topic().equals("user-events")))
          .extracting(r -> KafkaHeaders.lastValue(r.headers(), KafkaHeaders.EVENT_TYPE))
          .containsExactly("UserCreated", "UserUpdated");
    } finally {
      app.close();
    }
    DispatcherMetrics metrics = app.finalMetrics();
    assertThat(metrics.running()).isFalse();
    assertThat(metrics.workers()).noneMatch(DispatcherMetrics.Worker::running);
    assertThat(metrics.published()).isEqualTo(3);
    assertThat(metrics.backlog()).isZero();
  }
}
