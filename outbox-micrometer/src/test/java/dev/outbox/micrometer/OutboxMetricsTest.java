package dev.outbox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.PublishException;
import dev.outbox.test.FlakyDataSource;
import dev.outbox.test.RecordingPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxMetricsTest {

  private final JdbcDataSource h2 = new JdbcDataSource();
  private final FlakyDataSource dataSource;
  private final RecordingPublisher publisher = new RecordingPublisher();
  private final OutboxWriter writer = OutboxWriter.create();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final Dispatcher dispatcher;

  OutboxMetricsTest() {
    h2.setURL("jdbc:h2:mem:metrics-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dataSource = new FlakyDataSource(h2);
    dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .createSchema(true)
            .pollInterval(Duration.ofMillis(20))
            .deadLetterInterval(Duration.ofMillis(50))
            .build();
  }

  @AfterEach
  void close() {
    dispatcher.close();
  }

  private void commit(String topic, String... ids) throws Exception {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      for (String id : ids) {
        writer.save(
            c,
            OutboxEvent.builder()
                .eventId(id)
                .eventType("OrderPlaced")
                .aggregateType("Order")
                .aggregateId(id)
                .topic(topic)
                .payload(Map.of("id", id))
                .build());
      }
      c.commit();
    }
  }

  private double counter(String name, String topic) {
    Counter counter = registry.find(name).tag("topic", topic).counter();
    return counter == null ? 0 : counter.count();
  }

  private double gauge(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).gauge().value();
  }

  @Test
  void countsPublishesByTopicAndTimesCommitToAcknowledgement() throws Exception {
    OutboxMetrics.builder(dispatcher).build().bindTo(registry);
    dispatcher.start();
    commit("orders", "o-1");
    commit("orders", "o-2");
    commit("payments", "p-1");

    Timer commitToAck = registry.get("outbox.commit.to.ack").timer();
    await().until(() -> commitToAck.count() == 3);
    assertThat(counter("outbox.events.published", "orders")).isEqualTo(2);
    assertThat(counter("outbox.events.published", "payments")).isEqualTo(1);
    assertThat(commitToAck.max(java.util.concurrent.TimeUnit.SECONDS)).isLessThan(60);
    assertThat(registry.get("outbox.claim.size").summary().totalAmount()).isEqualTo(3);
    assertThat(registry.get("outbox.claim.duration").timer().count()).isPositive();
    assertThat(counter("outbox.events.failed.attempts", "orders")).isZero();
  }

  @Test
  void countsFailedAttemptsRetriesAndDeadLetters() throws Exception {
    publisher.behave(
        e ->
            CompletableFuture.failedFuture(
                e.eventId().equals("bad")
                    ? PublishException.permanent("too large", new IllegalStateException())
                    : PublishException.retriable("not now", new IllegalStateException())));
    OutboxMetrics.builder(dispatcher).build().bindTo(registry);
    dispatcher.start();
    commit("orders", "bad");
    commit("orders", "later");

    await().until(() -> counter("outbox.events.dead.lettered", "orders") == 1);
    await().until(() -> counter("outbox.events.retried", "orders") >= 1);
    assertThat(counter("outbox.events.failed.attempts", "orders"))
        .isEqualTo(
            counter("outbox.events.dead.lettered", "orders")
                + counter("outbox.events.retried", "orders"));
    assertThat(counter("outbox.events.published", "orders")).isZero();
  }

  @Test
  void gaugesShowTheBacklogAndTheWorkersReadingTheTableAtMostOncePerInterval() throws Exception {
    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    publisher.behave(e -> acknowledgement);
    OutboxMetrics.builder(dispatcher).refreshInterval(Duration.ofHours(1)).build().bindTo(registry);
    dispatcher.start();
    await().until(() -> dispatcher.workers().get(0).lastRunAt() != null);
    // In one transaction, so one claim takes both: the processor then waits for their
    // acknowledgement, which comes only at the end, and would claim nothing committed later.
    commit("orders", "waiting-1", "waiting-2");
    await().until(() -> publisher.attempts().size() == 2);
    dataSource.countConnectionsOf(Thread.currentThread().getName());

    double processing = gauge("outbox.backlog", "status", "processing");
    for (int scrape = 0; scrape < 100; scrape++) {
      gauge("outbox.backlog", "status", "pending");
      registry.get("outbox.oldest.waiting.age").timeGauge().value();
      gauge("outbox.worker.failing", "worker", "event-processor");
    }

    assertThat(processing).isEqualTo(2);
    assertThat(dataSource.countedConnections()).as("one reading for every scrape").isEqualTo(1);
    assertThat(registry.get("outbox.dispatcher.running").gauge().value()).isEqualTo(1);
    for (String worker :
        new String[] {
          "event-processor", "dead-letter-processor", "stuck-event-processor", "cleanup-processor"
        }) {
      assertThat(gauge("outbox.worker.failing", "worker", worker)).as(worker).isZero();
    }
    Gauge age =
        registry.get("outbox.worker.last.success.age").tag("worker", "event-processor").gauge();
    assertThat(age.value()).isBetween(0.0, 60.0);
    acknowledgement.complete(null);
  }

  @Test
  void aGaugeReadingThatFailsKeepsTheLastValuesWhileTheWorkersShowTheFailure() throws Exception {
    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    publisher.behave(e -> acknowledgement);
    OutboxMetrics.builder(dispatcher).refreshInterval(Duration.ZERO).build().bindTo(registry);
    dispatcher.start();
    commit("orders", "held");
    await().until(() -> gauge("outbox.backlog", "status", "processing") == 1);

    dataSource.down(true);
    try {
      assertThat(gauge("outbox.backlog", "status", "processing")).as("the last reading").isOne();
      await().until(() -> gauge("outbox.worker.failing", "worker", "dead-letter-processor") == 1);
    } finally {
      dataSource.down(false);
      acknowledgement.complete(null);
    }
  }

  @Test
  void bindsOnce() {
    OutboxMetrics metrics = OutboxMetrics.builder(dispatcher).build();
    metrics.bindTo(registry);

    assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bound");
    assertThatThrownBy(() -> OutboxMetrics.builder(dispatcher).commitToAckObjectives(Duration.ZERO))
        .hasMessageContaining("commitToAckObjectives");
  }
}
