package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outbox.DatabaseType;
import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.test.FlakyDataSource;
import dev.outbox.test.RecordingPublisher;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** When the outbox's health indicator says DOWN, on a real dispatcher on H2. */
class OutboxHealthIndicatorTest {

  private final RecordingPublisher publisher = new RecordingPublisher();
  private FlakyDataSource dataSource;
  private Dispatcher dispatcher;

  @BeforeEach
  void start() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:health-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dataSource = new FlakyDataSource(h2);
    dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .dialect(DatabaseType.H2)
            .createSchema(true)
            .pollInterval(Duration.ofMillis(20))
            .build();
    dispatcher.start();
  }

  @AfterEach
  void stop() {
    dataSource.failNext(0, "outbox-event-processor");
    dispatcher.close();
  }

  @Test
  void aFailingWorkerIsDownOnlyOnceItHasFailedForTheConfiguredTime() {
    OutboxHealthIndicator strict = indicator(Duration.ZERO, null);
    OutboxHealthIndicator patient = indicator(Duration.ofHours(1), null);
    assertThat(strict.health().getStatus()).isEqualTo(Status.UP);

    dataSource.failNext(Integer.MAX_VALUE, "outbox-event-processor");
    await().atMost(Duration.ofSeconds(10)).until(() -> strict.health().getStatus() == Status.DOWN);
    assertThat(failing(strict.health()).get("event-processor").get("lastError"))
        .contains("connection refused (test)");
    assertThat(patient.health().getStatus()).isEqualTo(Status.UP);

    dataSource.failNext(0, "outbox-event-processor");
    await().atMost(Duration.ofSeconds(10)).until(() -> strict.health().getStatus() == Status.UP);
  }

  @Test
  void anEventWaitingLongerThanTheMaximumIsDown() throws Exception {
    publisher.behave(e -> CompletableFuture.failedFuture(new IllegalStateException("not now")));
    OutboxHealthIndicator indicator = indicator(Duration.ofMinutes(1), Duration.ofMillis(1));
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    assertThat(indicator.health().getDetails()).containsEntry("oldestWaitingAge", "null");

    try (Connection connection = dataSource.getConnection()) {
      OutboxWriter.create().save(connection, event());
    }
    // Its first attempt fails and it waits a minute for the next.
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.attempts().size() == 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> indicator.health().getStatus() == Status.DOWN);
    assertThat(indicator.health().getDetails()).containsEntry("maxWaitingAge", "PT0.001S");
    assertThat(indicator(Duration.ofMinutes(1), Duration.ofHours(1)).health().getStatus())
        .isEqualTo(Status.UP);
  }

  @Test
  void aStoppedDispatcherIsDown() {
    dispatcher.close();
    Health health = indicator(Duration.ofMinutes(1), null).health();
    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("running", false);
  }

  private OutboxHealthIndicator indicator(Duration failingFor, Duration maxWaitingAge) {
    OutboxProperties.Health properties = new OutboxProperties.Health();
    properties.setFailingFor(failingFor);
    properties.setMaxWaitingAge(maxWaitingAge);
    return new OutboxHealthIndicator(dispatcher, properties);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, String>> failing(Health health) {
    return (Map<String, Map<String, String>>) health.getDetails().get("failing");
  }

  private static OutboxEvent event() {
    return OutboxEvent.builder()
        .eventType("OrderPlaced")
        .aggregateType("Order")
        .aggregateId("o-1")
        .topic("orders")
        .payload(Map.of("id", "o-1"))
        .build();
  }
}
