package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.jayway.jsonpath.JsonPath;
import dev.outbox.AuditTrail;
import dev.outbox.OutboxEvent;
import dev.outbox.embedded.EmbeddedPostgresServer;
import dev.outbox.spi.PublishException;
import dev.outbox.test.RecordingPublisher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The actuator's {@code outbox} endpoint, health and Prometheus scrape over real HTTP, on embedded
 * PostgreSQL, with mutating operations allowed ({@code access=unrestricted}). The publisher rejects
 * {@code Poison} events for good until the test heals it, which makes dead letters.
 */
@ExtendWith(OutboxActuatorTest.StopDatabaseAfterTheContext.class)
@SpringBootTest(
    classes = OutboxActuatorTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=health,outbox,prometheus",
      "management.endpoint.outbox.access=unrestricted",
      "management.endpoint.outbox.show-values=always",
      "management.endpoint.health.show-components=always",
      "management.endpoint.health.show-details=always",
      "outbox.create-schema=true",
      "outbox.poll-interval=100ms",
      "outbox.dead-letter-interval=100ms"
    })
@DirtiesContext
class OutboxActuatorTest {

  private static final EmbeddedPostgresServer POSTGRES = EmbeddedPostgresServer.start();
  private static volatile boolean poisonRejected = true;

  static {
    POSTGRES.createDatabase("actuator");
  }

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> POSTGRES.jdbcUrl("actuator"));
    registry.add("spring.datasource.username", POSTGRES::user);
    registry.add("spring.datasource.password", POSTGRES::password);
  }

  /** Stops the database after Spring closed the context, so the dispatcher stops before it. */
  static final class StopDatabaseAfterTheContext implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
      POSTGRES.close();
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    RecordingPublisher publisher() {
      RecordingPublisher publisher = new RecordingPublisher();
      publisher.behave(
          e ->
              poisonRejected && e.eventType().equals("Poison")
                  ? CompletableFuture.failedFuture(
                      PublishException.permanent(
                          "rejected by the test", new IllegalArgumentException("poison")))
                  : CompletableFuture.completedFuture(null));
      return publisher;
    }
  }

  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @BeforeEach
  void listenToTheAuditTrail() {
    audit.start();
    ((Logger) LoggerFactory.getLogger(AuditTrail.LOGGER_NAME)).addAppender(audit);
  }

  @AfterEach
  void stopListening() {
    ((Logger) LoggerFactory.getLogger(AuditTrail.LOGGER_NAME)).detachAppender(audit);
  }

  @LocalServerPort int port;
  @Autowired Outbox outbox;
  @Autowired RecordingPublisher publisher;
  @Autowired PlatformTransactionManager transactions;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void statusDeadLettersReplayPurgeHealthAndPrometheusOverHttp() throws Exception {
    save(event("good-1", "Good", "a-1"), event("poison-1", "Poison", "a-2"));
    save(event("poison-2", "Poison", "a-3"), event("poison-3", "Poison", "a-4"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> JsonPath.<Integer>read(get("/actuator/outbox").body(), "$.deadLetters") == 3);

    HttpResponse<String> status = get("/actuator/outbox");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<Boolean>read(status.body(), "$.running")).isTrue();
    assertThat(JsonPath.<List<String>>read(status.body(), "$.workers[*].name"))
        .containsExactly(
            "event-processor",
            "dead-letter-processor",
            "stuck-event-processor",
            "cleanup-processor");
    assertThat(JsonPath.<String>read(status.body(), "$.config.pollInterval")).isEqualTo("PT0.1S");
    assertThat(JsonPath.<Integer>read(status.body(), "$.backlog.total")).isZero();
    assertThat(JsonPath.<Integer>read(status.body(), "$.totals.published")).isEqualTo(1);

    // Listed with filters and pages.
    HttpResponse<String> page = get("/actuator/outbox/deadletters?eventType=Poison&limit=2");
    assertThat(JsonPath.<List<String>>read(page.body(), "$.deadLetters[*].eventId"))
        .containsExactly("poison-1", "poison-2");
    assertThat(JsonPath.<String>read(page.body(), "$.deadLetters[0].lastError"))
        .contains("rejected by the test");
    assertThat(JsonPath.<String>read(page.body(), "$.deadLetters[0].payload"))
        .isEqualTo("{\"id\":\"poison-1\"}");
    Number next = JsonPath.read(page.body(), "$.nextAfterId");
    assertThat(
            JsonPath.<List<String>>read(
                get("/actuator/outbox/deadletters?eventType=Poison&limit=2&afterId=" + next).body(),
                "$.deadLetters[*].eventId"))
        .containsExactly("poison-3");
    assertThat(
            JsonPath.<List<String>>read(
                get("/actuator/outbox/deadletters?aggregateType=Order&aggregateId=a-3").body(),
                "$.deadLetters[*].eventId"))
        .containsExactly("poison-2");

    // Bad filters: a 400 that says which and why.
    HttpResponse<String> badTime = get("/actuator/outbox/deadletters?from=yesterday");
    assertThat(badTime.statusCode()).isEqualTo(400);
    assertThat(badTime.body()).contains("from must be an ISO-8601 instant", "'yesterday'");
    HttpResponse<String> badLimit = get("/actuator/outbox/deadletters?limit=0");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.body()).contains("limit must be between 1 and 10000, was 0");

    // Replay one: back into the outbox and published, now that the publisher takes it.
    poisonRejected = false;
    HttpResponse<String> replayed = post("/actuator/outbox/deadletters/poison-1", "");
    assertThat(replayed.statusCode()).isEqualTo(200);
    assertThat(JsonPath.<Integer>read(replayed.body(), "$.replayed")).isEqualTo(1);
    publisher.awaitDelivered(2, Duration.ofSeconds(30));
    assertThat(publisher.deliveredIds()).containsExactly("good-1", "poison-1");
    assertThat(post("/actuator/outbox/deadletters/no-such-event", "").statusCode()).isEqualTo(404);

    // Bulk: refused without a filter or all=true, then by filter.
    HttpResponse<String> everything = delete("/actuator/outbox/deadletters");
    assertThat(everything.statusCode()).isEqualTo(400);
    assertThat(everything.body()).contains("needs all=true");
    HttpResponse<String> stale =
        delete("/actuator/outbox/deadletters?aggregateType=Order&confirmed=3");
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("2 dead letter(s) match now, not the 3 confirmed");
    HttpResponse<String> purged =
        delete("/actuator/outbox/deadletters?aggregateType=Order&confirmed=2");
    assertThat(JsonPath.<Integer>read(purged.body(), "$.purged")).isEqualTo(2);
    assertThat(audit.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "an anonymous caller (actuator) replayed 1 of 1 dead letter(s) with event id poison-1",
            "an anonymous caller (actuator) replayed 0 of 1 dead letter(s) with event id"
                + " no-such-event: 1 already gone",
            "an anonymous caller (actuator) started to purge 2 dead letter(s) matching"
                + " aggregateType=Order",
            "an anonymous caller (actuator) purged 2 of 2 dead letter(s) matching"
                + " aggregateType=Order");
    assertThat(
            JsonPath.<List<String>>read(
                get("/actuator/outbox/deadletters").body(), "$.deadLetters[*].eventId"))
        .isEmpty();
    assertThat(delete("/actuator/outbox/deadletters/poison-2").statusCode()).isEqualTo(404);

    HttpResponse<String> health = get("/actuator/health");
    assertThat(JsonPath.<String>read(health.body(), "$.components.outbox.status")).isEqualTo("UP");

    // The meters, with the values of what was published.
    String scrape = get("/actuator/prometheus").body();
    assertThat(scrape)
        .containsPattern("outbox_events_published_total\\{[^}]*topic=\"orders\"[^}]*} 2\\.0")
        .containsPattern("outbox_events_dead_lettered_total\\{[^}]*topic=\"orders\"[^}]*} 3\\.0")
        .contains("outbox_commit_to_ack_seconds_count")
        .contains("outbox_backlog{");
  }

  @Test
  void anUnknownPartOfTheEndpointIsNotFound() throws Exception {
    HttpResponse<String> response = get("/actuator/outbox/events");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("No such part of the outbox endpoint: 'events'");
  }

  private void save(OutboxEvent... events) {
    new TransactionTemplate(transactions)
        .executeWithoutResult(tx -> outbox.saveAll(List.of(events)));
  }

  private static OutboxEvent event(String id, String type, String aggregateId) {
    return OutboxEvent.builder()
        .eventId(id)
        .eventType(type)
        .aggregateType("Order")
        .aggregateId(aggregateId)
        .topic("orders")
        .payload(Map.of("id", id))
        .build();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> post(String path, String json)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
