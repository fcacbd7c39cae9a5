package dev.outbox.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbox.Backoff;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherBuilder;
import dev.outbox.InvalidEventException;
import dev.outbox.OutboxEvent;
import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedPostgresServer;
import dev.outbox.kafka.KafkaHeaders;
import dev.outbox.kafka.KafkaPublisher;
import dev.outbox.spi.BrokerAvailability;
import dev.outbox.test.contract.ContractSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Every guarantee end to end: embedded PostgreSQL, a real Kafka broker in-process, the real
 * KafkaPublisher. Only time is moved by hand.
 */
class KafkaEndToEndTest extends ContractSupport {

  private static EmbeddedKafka kafka;
  private static EmbeddedPostgresServer postgres;
  private static DataSource dataSource;
  private String topic;

  @BeforeAll
  static void startServers() {
    kafka = EmbeddedKafka.start();
    postgres = EmbeddedPostgresServer.start();
    dataSource = postgres.createDatabase("e2e");
  }

  @AfterAll
  static void stopServers() {
    kafka.close();
    postgres.close();
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }

  @BeforeEach
  void freshTopic(TestInfo test) {
    topic = "e2e-" + test.getTestMethod().orElseThrow().getName();
    kafka.createTopic(topic, 3);
  }

  private KafkaPublisher kafkaPublisher(Map<String, Object> extra) {
    return KafkaPublisher.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .properties(extra)
        .build();
  }

  private Dispatcher startKafkaDispatcher(
      Map<String, Object> producerProperties, Consumer<DispatcherBuilder> more) {
    return startDispatcher(
        b -> {
          b.publisher(kafkaPublisher(producerProperties));
          more.accept(b);
        });
  }

  private Dispatcher startKafkaDispatcher() {
    return startKafkaDispatcher(Map.of(), b -> {});
  }

  private OutboxEvent event(String id, String aggregateId, Object payload) {
    return OutboxEvent.builder()
        .eventId(id)
        .eventType("OrderPlaced")
        .aggregateType("Order")
        .aggregateId(aggregateId)
        .topic(topic)
        .payload(payload)
        .build();
  }

  private List<ConsumerRecord<String, String>> records(int expected) {
    return kafka.read(topic, expected, Duration.ofSeconds(30));
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return KafkaHeaders.lastValue(record.headers(), name);
  }

  @Test
  void committedEventArrivesWithKeyHeadersAndPayloadAndARolledBackOneNever() {
    startKafkaDispatcher();
    inTransaction(
        c -> {
          insertBusinessRow(c, "rolled-back");
          writer.save(c, event("rolled-back", "order-0", Map.of("n", 0)));
          c.rollback();
        });
    OutboxEvent committed =
        event("committed", "order-1", Map.of("total", 42)).toBuilder()
            .trace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")
            .header("tenant", "acme")
            .build();
    commit(committed);

    List<ConsumerRecord<String, String>> records = records(1);
    assertThat(records).hasSize(1);
    ConsumerRecord<String, String> record = records.get(0);
    assertThat(record.key()).isEqualTo("order-1");
    assertThat(record.value()).isEqualTo("{\"total\":42}");
    assertThat(header(record, KafkaHeaders.EVENT_ID)).isEqualTo("committed");
    assertThat(header(record, KafkaHeaders.EVENT_TYPE)).isEqualTo("OrderPlaced");
    assertThat(header(record, KafkaHeaders.AGGREGATE_TYPE)).isEqualTo("Order");
    assertThat(header(record, KafkaHeaders.AGGREGATE_ID)).isEqualTo("order-1");
    assertThat(header(record, KafkaHeaders.TRACEPARENT))
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(header(record, "tenant")).isEqualTo("acme");
    eventually().until(() -> status("committed").equals("sent"));
    assertThat(kafka.read(topic, 2, Duration.ofMillis(500))).hasSize(1);
  }

  /**
   * The broker stopped for longer than the producer tries a record, and hours passing on the
   * dispatcher's clock: the outage counts no attempt and dead-letters nothing, and the event is
   * delivered, in order, within seconds of the broker's return.
   */
  @Test
  void aBrokerOutageCountsNoAttemptAndTheBacklogDrainsOnceTheBrokerIsBack() {
    Dispatcher dispatcher =
        startKafkaDispatcher(
            Map.of("delivery.timeout.ms", 4000, "request.timeout.ms", 2000),
            b -> b.maxAttempts(2).backoff(Backoff.fixed(Duration.ofMinutes(1))));
    commit(event("before", "order-1", Map.of("n", 1)));
    assertThat(records(1)).hasSize(1);

    kafka.stop();
    try {
      commit(
          event("during-1", "order-1", Map.of("n", 2)),
          event("during-2", "order-1", Map.of("n", 3)));
      eventually()
          .atMost(Duration.ofSeconds(30))
          .until(() -> String.valueOf(processorError(dispatcher)).contains("broker unavailable"));
      clock.advance(Duration.ofHours(3));
      assertThat(attempts("during-1")).isZero();
      assertThat(status("during-1")).isIn("pending", "retry");
      assertThat(dispatcher.metrics().deadLetters()).isZero();
    } finally {
      kafka.restart();
    }

    List<ConsumerRecord<String, String>> records = records(3);
    assertThat(records)
        .extracting(r -> header(r, KafkaHeaders.EVENT_ID))
        .containsExactly("before", "during-1", "during-2");
    eventually().until(() -> status("during-2").equals("sent"));
    assertThat(count("SELECT COUNT(*) FROM outbox_deadletters")).isZero();
  }

  /**
   * Regression, as an operator met it: a lease of exactly twice the producer's longest publish
   * (max.block.ms 1000 + delivery.timeout.ms 4000, lease 10 s), which the builder accepts, claimed
   * and gave back every batch unpublished, without a word. Every event now goes out, in order.
   */
  @Test
  void theShortestLeaseTheProducerSettingsAllowPublishesEveryEventInOrder() {
    KafkaPublisher publisher =
        kafkaPublisher(
            Map.of("max.block.ms", 1000, "delivery.timeout.ms", 4000, "request.timeout.ms", 2000));
    Duration lease = publisher.publishTimeLimit().orElseThrow().limit().multipliedBy(2);
    assertThat(lease).isEqualTo(Duration.ofSeconds(10));
    Dispatcher dispatcher = startDispatcher(b -> b.publisher(publisher).stuckTimeout(lease));
    int aggregates = 40;
    int perAggregate = 25;
    List<OutboxEvent> events = new ArrayList<>();
    for (int i = 0; i < aggregates * perAggregate; i++) {
      events.add(event("lease-" + i, "order-" + (i % aggregates), Map.of("n", i)));
    }
    commit(events.toArray(OutboxEvent[]::new));

    List<ConsumerRecord<String, String>> records = records(events.size());
    assertThat(records).hasSize(events.size());
    Map<String, List<Integer>> byAggregate = new HashMap<>();
    for (ConsumerRecord<String, String> record : records) {
      String id = header(record, KafkaHeaders.EVENT_ID);
      byAggregate
          .computeIfAbsent(record.key(), k -> new ArrayList<>())
          .add(Integer.parseInt(id.substring("lease-".length())));
    }
    assertThat(byAggregate).hasSize(aggregates);
    byAggregate.values().forEach(ns -> assertThat(ns).isSorted());
    eventually().until(() -> dispatcher.metrics().published() == events.size());
    assertThat(dispatcher.metrics().failedAttempts()).isZero();
  }

  private static @Nullable String processorError(Dispatcher dispatcher) {
    return dispatcher.metrics().workers().stream()
        .filter(worker -> worker.name().equals("event-processor"))
        .findFirst()
        .orElseThrow()
        .lastError();
  }

  @Test
  void cloudEventsHeadersArriveBesideOursWhenAsked() {
    startDispatcher(
        b ->
            b.publisher(
                KafkaPublisher.builder()
                    .bootstrapServers(kafka.bootstrapServers())
                    .cloudEvents("/orders-service")
                    .build()));
    commit(event("ce-1", "order-1", Map.of("n", 1)));

    ConsumerRecord<String, String> record = records(1).get(0);
    assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(record, "ce_id")).isEqualTo("ce-1");
    assertThat(header(record, "ce_source")).isEqualTo("/orders-service");
    assertThat(header(record, "ce_type")).isEqualTo("OrderPlaced");
    assertThat(header(record, "ce_time")).isNotBlank();
    assertThat(header(record, "content-type")).isEqualTo("application/json");
    assertThat(header(record, KafkaHeaders.EVENT_ID)).isEqualTo("ce-1");
  }

  @Test
  void theKafkaPublisherTellsWhetherItsBrokerAnswers() {
    try (KafkaPublisher reachable = kafkaPublisher(Map.of());
        KafkaPublisher unreachable =
            KafkaPublisher.builder().bootstrapServers("127.0.0.1:1").build()) {
      assertThat(reachable.checkAvailability(Duration.ofSeconds(5)))
          .isEqualTo(BrokerAvailability.AVAILABLE);
      assertThat(unreachable.checkAvailability(Duration.ofMillis(500)))
          .isEqualTo(BrokerAvailability.UNAVAILABLE);
    }
  }

  @Test
  void recordTooLargeIsDeadLetteredAtOnceAndReplayDeliversItWithTheSameId() {
    Dispatcher small =
        startKafkaDispatcher(Map.of("max.request.size", 2048), b -> b.maxAttempts(5));
    commit(event("too-big", "order-1", Map.of("blob", "x".repeat(4000))));
    eventually().until(() -> small.metrics().deadLetters() == 1);
    assertThat(count("SELECT attempts FROM outbox_deadletters WHERE event_id = 'too-big'"))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT COUNT(*) FROM outbox_deadletters WHERE last_error LIKE ?",
                "%RecordTooLarge%"))
        .isEqualTo(1);
    small.close();

    Dispatcher regular = startKafkaDispatcher();
    assertThat(regular.deadLetters().replay("too-big")).isTrue();

    List<ConsumerRecord<String, String>> records = records(1);
    assertThat(records)
        .extracting(r -> header(r, KafkaHeaders.EVENT_ID))
        .containsExactly("too-big");
    assertThat(records.get(0).value()).contains("x".repeat(4000));
  }

  @Test
  void eventLeftUnderTheLeaseOfACrashedDispatcherIsRecoveredAndDelivered() {
    commit(event("orphan", "order-1", Map.of()));
    leaseAsADeadDispatcher("orphan", 0);
    Dispatcher dispatcher = startKafkaDispatcher();

    twoMoreRuns(dispatcher, "stuck-event-processor");
    assertThat(status("orphan")).isEqualTo("processing");
    clock.advance(Duration.ofMinutes(11));

    assertThat(records(1))
        .extracting(r -> header(r, KafkaHeaders.EVENT_ID))
        .containsExactly("orphan");
    eventually().until(() -> status("orphan").equals("sent"));
    assertThat(attempts("orphan")).isEqualTo(1);
  }

  @Test
  void sentEventsAreCleanedUpAfterTheRetention() {
    startKafkaDispatcher(Map.of(), b -> b.sentRetention(Duration.ofDays(1)));
    commit(event("short-lived", "order-1", Map.of()));
    assertThat(records(1)).hasSize(1);
    eventually().until(() -> status("short-lived").equals("sent"));

    clock.advance(Duration.ofDays(1).plusMinutes(1));

    eventually().until(() -> status("short-lived").equals("absent"));
  }

  @Test
  void twoDispatchersDeliverEveryEventOnceInAggregateOrder() {
    startKafkaDispatcher(Map.of(), b -> b.instanceId("one").batchSize(25));
    startKafkaDispatcher(Map.of(), b -> b.instanceId("two").batchSize(25));
    Random random = new Random(7);
    Map<String, List<String>> written = new LinkedHashMap<>();
    for (int tx = 0; tx < 60; tx++) {
      List<OutboxEvent> events = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String aggregate = "order-" + random.nextInt(15);
        String id = "evt-" + tx + "-" + i;
        events.add(event(id, aggregate, Map.of("seq", i)));
        written.computeIfAbsent(aggregate, k -> new ArrayList<>()).add(id);
      }
      commit(events.toArray(OutboxEvent[]::new));
    }

    List<ConsumerRecord<String, String>> records = records(300);
    assertThat(records).hasSize(300);
    Map<String, List<String>> delivered = new HashMap<>();
    records.stream()
        .sorted(
            Comparator.comparingInt(ConsumerRecord<String, String>::partition)
                .thenComparingLong(ConsumerRecord::offset))
        .forEach(
            r ->
                delivered
                    .computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(header(r, KafkaHeaders.EVENT_ID)));
    assertThat(delivered).isEqualTo(written);
    assertThat(kafka.read(topic, 301, Duration.ofMillis(500))).as("no duplicates").hasSize(300);
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndTheTransactionStillCommits() {
    startKafkaDispatcher();
    inTransaction(
        c -> {
          insertBusinessRow(c, "valid");
          assertThatThrownBy(
                  () ->
                      writer.saveAll(
                          c,
                          List.of(
                              event("valid", "order-1", Map.of()),
                              OutboxEvent.of("bad", "T", "A", "1", "not a topic!", Map.of()))))
              .isInstanceOf(InvalidEventException.class)
              .hasMessageContaining("topic");
          writer.save(c, event("valid", "order-1", Map.of()));
          c.commit();
        });

    assertThat(records(1))
        .extracting(r -> header(r, KafkaHeaders.EVENT_ID))
        .containsExactly("valid");
    assertThat(count("SELECT COUNT(*) FROM business_rows")).isEqualTo(1);
  }
}
