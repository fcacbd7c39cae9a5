package dev.outbox.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outbox.AuditTrail;
import dev.outbox.spi.Publisher;
import dev.outbox.test.RecordingPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The console mounted in a Spring Boot application with the starter, on H2 and a recording
 * publisher: what it serves, what it shows, and who may change what.
 */
@SpringBootTest(
    classes = ConsoleApiTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:console;DB_CLOSE_DELAY=-1",
      "outbox.create-schema=true",
      "outbox.poll-interval=50ms",
      "outbox.console.enabled=true",
      "outbox.console.path=/ops/outbox",
      "outbox.console.username=alice",
      "outbox.console.password=secret-password",
      "outbox.console.sample-interval=200ms",
      "outbox.console.allowed-hosts=ops.example.com",
      "outbox.console.failed-sign-in-pause=3s"
    })
class ConsoleApiTest {

  private static final String BASIC = basic("alice", "secret-password");
  private static final String CSRF = "0123456789abcdef";

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    Publisher publisher() {
      return new RecordingPublisher();
    }
  }

  @LocalServerPort int port;
  @Autowired DataSource dataSource;
  @Autowired RecordingPublisher publisher;

  private final HttpClient http = HttpClient.newHttpClient();
  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
  private JdbcTemplate jdbc;

  @BeforeEach
  void deadLetters() {
    jdbc = new JdbcTemplate(dataSource);
    jdbc.update("DELETE FROM outbox_deadletters");
    jdbc.update("DELETE FROM outbox_events");
    deadLetter("dl-1", "OrderPlaced", "7", "TimeoutException: Expiring 1 record(s)");
    deadLetter("dl-2", "OrderPlaced", "8", "RecordTooLargeException: too large");
    deadLetter("dl-3", "OrderCancelled", "9", "TimeoutException: Expiring 2 record(s)");
    audit.start();
    ((Logger) LoggerFactory.getLogger(AuditTrail.LOGGER_NAME)).addAppender(audit);
  }

  @AfterEach
  void detach() {
    ((Logger) LoggerFactory.getLogger(AuditTrail.LOGGER_NAME)).detachAppender(audit);
  }

  @Test
  void servesThePageItsScriptsAndTheWebJarsWithACsrfCookieAndNoFraming() throws Exception {
    HttpResponse<String> page = get("/ops/outbox/", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Outbox console</title>");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("frame-ancestors 'none'", "script-src 'self'");
    assertThat(page.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("outbox-console-csrf=")
        .contains("Path=/;", "SameSite=Strict");

    assertThat(get("/ops/outbox", Map.of()).statusCode()).isEqualTo(302);
    assertThat(get("/ops/outbox/assets/console.js", Map.of()).body()).contains("textContent");
    assertThat(get("/ops/outbox/webjars/chart.js/dist/chart.umd.min.js", Map.of()).statusCode())
        .isEqualTo(200);
    assertThat(get("/ops/outbox/webjars/bootstrap/css/bootstrap.min.css", Map.of()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void overviewShowsTheBacklogWorkersAndTheRateOfPublishes() throws Exception {
    jdbc.update(
        "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
            + " payload, status, next_attempt_at, created_at)"
            + " VALUES ('e-1', 'OrderPlaced', 'Order', '1', 'orders', '{}', 'pending',"
            + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.deliveredIds().contains("e-1"));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String overview = get("/ops/outbox/api/overview", reader()).body();
              assertThat(overview)
                  .contains("\"deadLetters\":3", "\"name\":\"event-processor\"")
                  .containsPattern("\"published\":[1-9]")
                  .contains("\"state\":\"running\"", "\"p99Millis\":");
            });
  }

  @Test
  void theOverviewGivesTheTotalOfHeldAggregatesBeyondThoseItLists() throws Exception {
    int aggregates = ConsoleHistory.HELD_SHOWN + 5;
    for (int i = 0; i < aggregates; i++) {
      // original_id 0: each dead letter comes before its aggregate's waiting event.
      jdbc.update(
          "INSERT INTO outbox_deadletters (event_id, original_id, event_type, aggregate_type,"
              + " aggregate_id, topic, payload, headers, attempts, last_error, created_at,"
              + " dead_lettered_at) VALUES (?, 0, 'OrderPlaced', 'Held', ?, 'orders', '{}', '{}', 5,"
              + " 'TimeoutException', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
          "dl-held-" + i,
          String.valueOf(i));
      jdbc.update(
          "INSERT INTO outbox_events (event_id, event_type, aggregate_type, aggregate_id, topic,"
              + " payload, status, next_attempt_at, created_at) VALUES (?, 'OrderPlaced', 'Held',"
              + " ?, 'orders', '{}', 'pending', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
          "held-" + i,
          String.valueOf(i));
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              JsonNode overview =
                  new ObjectMapper().readTree(get("/ops/outbox/api/overview", reader()).body());
              assertThat(overview.path("held")).hasSize(ConsoleHistory.HELD_SHOWN);
              assertThat(overview.path("heldTotal").asLong()).isEqualTo(aggregates);
            });
  }

  @Test
  void listsDeadLettersByFilterAndShowsTheirContentToASignedInUser() throws Exception {
    String timeouts = get("/ops/outbox/api/dead-letters?error=timeout", reader()).body();
    assertThat(timeouts).contains("dl-1", "dl-3").doesNotContain("dl-2");
    assertThat(
            get("/ops/outbox/api/dead-letters?eventType=OrderPlaced&error=LARGE", reader()).body())
        .contains("dl-2")
        .doesNotContain("dl-1");
    assertThat(get("/ops/outbox/api/dead-letters/count?eventType=OrderPlaced", reader()).body())
        .isEqualTo("{\"count\":2}");

    HttpResponse<String> badTime = get("/ops/outbox/api/dead-letters?from=yesterday", reader());
    assertThat(badTime.statusCode()).isEqualTo(400);
    assertThat(badTime.body()).contains("from must be an ISO-8601 instant", "yesterday");

    String signedIn = get("/ops/outbox/api/dead-letter?eventId=dl-1", reader()).body();
    assertThat(signedIn).contains("\"contentShown\":true", "secret-order-7", "\"source\":\"test\"");
    assertThat(get("/ops/outbox/api/dead-letter?eventId=nope", reader()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void deadLettersCannotBeReadWithoutSigningIn() throws Exception {
    for (String path :
        new String[] {
          "/ops/outbox/api/dead-letters",
          "/ops/outbox/api/dead-letters/count",
          "/ops/outbox/api/dead-letter?eventId=dl-1",
          "/ops/outbox/api/overview",
          "/ops/outbox/api/unsent?aggregateType=Order&aggregateId=7",
          "/ops/outbox/api/bulk/1"
        }) {
      HttpResponse<String> anonymous = get(path, Map.of());
      assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
      assertThat(anonymous.body()).as(path).isEqualTo("{\"error\":\"sign in to read the outbox\"}");
    }
    // The page still loads, and says how to sign in.
    assertThat(get("/ops/outbox/", Map.of()).statusCode()).isEqualTo(200);
    assertThat(get("/ops/outbox/api/session", Map.of()).body())
        .isEqualTo(
            "{\"authenticated\":false,\"user\":null,\"signIn\":[\"basic\"],"
                + "\"anonymousRead\":false}");
    assertThat(get("/ops/outbox/api/dead-letters", reader()).body()).contains("dl-1", "dl-2");
  }

  @Test
  void aReplayNeedsASignedInUserAndTheCsrfHeaderAndIsAudited() throws Exception {
    assertThat(replay(Map.of("Cookie", cookie(), "X-Outbox-Csrf", CSRF)))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(401))
        .satisfies(r -> assertThat(r.body()).contains("sign in to replay dead letters"));
    assertThat(
            replay(
                Map.of(
                    "Cookie",
                    cookie(),
                    "X-Outbox-Csrf",
                    CSRF,
                    "Authorization",
                    basic("alice", "wrong-password"))))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(401))
        .satisfies(r -> assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty());
    assertThat(replay(Map.of("Authorization", BASIC)))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(403))
        .satisfies(r -> assertThat(r.body()).contains("X-Outbox-Csrf"));
    assertThat(
            replay(
                Map.of(
                    "Authorization",
                    BASIC,
                    "Cookie",
                    cookie(),
                    "X-Outbox-Csrf",
                    CSRF,
                    "Origin",
                    "https://evil.example")))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(403))
        .satisfies(r -> assertThat(r.body()).contains("evil.example"));
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(3);
    assertThat(changes()).isEmpty();
    assertThat(refusals())
        .containsExactly(
            "refused POST /ops/outbox/api/dead-letter/replay from 127.0.0.1 (console): 401 sign in to replay"
                + " dead letters",
            "refused POST /ops/outbox/api/dead-letter/replay from 127.0.0.1 (console): 401 the credentials"
                + " sent are wrong: sign in again",
            "refused POST /ops/outbox/api/dead-letter/replay from 127.0.0.1 (console): 403 change refused:"
                + " it lacks the console's X-Outbox-Csrf header or cookie; reload the page",
            "refused POST /ops/outbox/api/dead-letter/replay from 127.0.0.1 (console): 403 change refused:"
                + " it came from https://evil.example");

    HttpResponse<String> replayed =
        replay(
            Map.of(
                "Authorization",
                BASIC,
                "Cookie",
                cookie(),
                "X-Outbox-Csrf",
                CSRF,
                "Origin",
                "http://127.0.0.1:" + port));
    assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.deliveredIds().contains("dl-1"));
    assertThat(changes())
        .containsExactly(
            "alice (console, from 127.0.0.1) replayed 1 of 1 dead letter(s) with event id dl-1");
  }

  @Test
  void failedSignInsAreSlowedDownAndEveryRefusalIsLogged() throws Exception {
    // The operator's trial: 30 wrong passwords at once, then the right one.
    String wrong = basic("alice", "guess-number-n");
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      answers.add(get("/ops/outbox/api/session", Map.of("Authorization", wrong)));
    }
    // A few are checked (fewer if an earlier test here left a failure), then none is.
    List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
    int checked = statuses.indexOf(429);
    assertThat(checked).as(statuses.toString()).isBetween(1, 5);
    assertThat(statuses.subList(0, checked)).containsOnly(401);
    assertThat(statuses.subList(checked, 30)).containsOnly(429);
    HttpResponse<String> paused = answers.get(29);
    assertThat(paused.headers().firstValue("Retry-After").map(Integer::parseInt).orElseThrow())
        .isBetween(1, 3);
    assertThat(paused.body()).contains("too many failed sign-ins from 127.0.0.1: try again in");

    // The right password waits its turn too: it is not even checked until the pause is over.
    assertThat(get("/ops/outbox/api/session", reader()).statusCode()).isEqualTo(429);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> get("/ops/outbox/api/session", reader()).statusCode() == 200);
    assertThat(get("/ops/outbox/api/dead-letters", reader()).statusCode()).isEqualTo(200);

    // One WARN line per refusal, with the address, never the secret.
    List<String> refusals = refusals();
    assertThat(refusals).hasSizeGreaterThanOrEqualTo(31);
    assertThat(refusals.subList(0, checked))
        .containsOnly(
            "refused GET /ops/outbox/api/session from 127.0.0.1 (console): 401 the credentials sent are"
                + " wrong: sign in again");
    assertThat(refusals.get(checked))
        .startsWith(
            "refused GET /ops/outbox/api/session from 127.0.0.1 (console): 429 too many failed sign-ins from"
                + " 127.0.0.1: try again in ");
    assertThat(audit.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains("guess-number") || line.contains(wrong.substring(6)));
  }

  @Test
  void aRequestWithAForeignHostIsRefusedBeforeAnyDataIsRead() throws Exception {
    String evil = "evil.example:" + port;
    RawHttp.Response read =
        RawHttp.send(port, "GET", "/ops/outbox/api/dead-letters", Map.of("Host", evil), "");
    assertThat(read.status()).isEqualTo(403);
    assertThat(read.body())
        .contains("does not answer to the host evil.example", "outbox.console.allowed-hosts")
        .doesNotContain("dl-1", "OrderPlaced");
    // Refused before the handler: it would have answered 400 to this limit.
    assertThat(
            RawHttp.send(
                    port, "GET", "/ops/outbox/api/dead-letters?limit=0", Map.of("Host", evil), "")
                .status())
        .isEqualTo(403);
    assertThat(RawHttp.send(port, "GET", "/ops/outbox/", Map.of("Host", evil), "").status())
        .isEqualTo(403);

    // The operator's trial: a change with the foreign Host, an Origin to match it, and a CSRF
    // cookie and header of the caller's choosing.
    Map<String, String> rebound = new java.util.LinkedHashMap<>(signedIn());
    rebound.put("Host", evil);
    rebound.put("Origin", "http://" + evil);
    RawHttp.Response replay =
        RawHttp.send(
            port, "POST", "/ops/outbox/api/dead-letter/replay", rebound, "{\"eventId\":\"dl-1\"}");
    assertThat(replay.status()).isEqualTo(403);
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(3);
    assertThat(audit.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .contains(
            "refused GET /ops/outbox/api/dead-letters from 127.0.0.1 (console): 403 the console does not"
                + " answer to the host evil.example (its defence against DNS rebinding); if that"
                + " name is the console's, add it to outbox.console.allowed-hosts")
        .noneMatch(line -> line.contains("replayed"));

    // Its own names, and those of outbox.console.allowed-hosts, are answered.
    for (String host : new String[] {"localhost:" + port, "ops.example.com", "[::1]:" + port}) {
      RawHttp.Response allowed =
          RawHttp.send(
              port,
              "GET",
              "/ops/outbox/api/dead-letters",
              Map.of("Host", host, "Authorization", BASIC),
              "");
      assertThat(allowed.status()).as(host).isEqualTo(200);
      assertThat(allowed.body()).as(host).contains("dl-1");
    }
  }

  @Test
  void anOriginOfAnotherSchemeIsRefused() throws Exception {
    HttpResponse<String> https =
        replay(
            Map.of(
                "Authorization",
                BASIC,
                "Cookie",
                cookie(),
                "X-Outbox-Csrf",
                CSRF,
                "Origin",
                "https://127.0.0.1:" + port));
    assertThat(https.statusCode()).isEqualTo(403);
    assertThat(https.body()).contains("change refused: it came from https://127.0.0.1:" + port);
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(3);
  }

  @Test
  void purgesAllThatMatchAFilterAsAJobWhoseProgressCanBeFollowed() throws Exception {
    HttpResponse<String> stale =
        post(
            "/ops/outbox/api/bulk",
            "{\"action\":\"purge\",\"filter\":{\"error\":\"timeout\"},\"expected\":1}",
            signedIn());
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("2 dead letter(s) match now, not the 1 confirmed");
    assertThat(count("SELECT count(*) FROM outbox_deadletters")).isEqualTo(3);

    HttpResponse<String> started =
        post(
            "/ops/outbox/api/bulk",
            "{\"action\":\"purge\",\"filter\":{\"error\":\"timeout\"},\"expected\":2}",
            signedIn());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(started.body()).contains("\"total\":2");
    String id = started.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(get("/ops/outbox/api/bulk/" + id, reader()).body())
                    .contains("\"finished\":true", "\"done\":2", "\"error\":null"));
    assertThat(jdbc.queryForList("SELECT event_id FROM outbox_deadletters", String.class))
        .containsExactly("dl-2");
    assertThat(changes())
        .containsExactly(
            "alice (console, from 127.0.0.1) started to purge 2 dead letter(s) matching"
                + " error=timeout",
            "alice (console, from 127.0.0.1) purged 2 of 2 dead letter(s) matching error=timeout");

    HttpResponse<String> none =
        post(
            "/ops/outbox/api/bulk",
            "{\"action\":\"purge\",\"filter\":{\"error\":\"timeout\"}}",
            signedIn());
    assertThat(none.statusCode()).isEqualTo(404);
    HttpResponse<String> badAction =
        post("/ops/outbox/api/bulk", "{\"action\":\"drop\"}", signedIn());
    assertThat(badAction.statusCode()).isEqualTo(400);
    assertThat(badAction.body()).contains("action must be replay or purge, was 'drop'");
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The audit's lines of changes made. */
  private List<String> changes() {
    return audit.list.stream()
        .filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  /** The audit's lines of requests refused. */
  private List<String> refusals() {
    return audit.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static Map<String, String> reader() {
    return Map.of("Authorization", BASIC);
  }

  private Map<String, String> signedIn() {
    return Map.of("Authorization", BASIC, "Cookie", cookie(), "X-Outbox-Csrf", CSRF);
  }

  private static String cookie() {
    return CsrfGuard.COOKIE + "=" + CSRF;
  }

  private HttpResponse<String> replay(Map<String, String> headers) throws Exception {
    return post("/ops/outbox/api/dead-letter/replay", "{\"eventId\":\"dl-1\"}", headers);
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private long count(String sql) {
    Long count = jdbc.queryForObject(sql, Long.class);
    return count == null ? 0 : count;
  }

  private void deadLetter(String eventId, String type, String aggregateId, String error) {
    jdbc.update(
        "INSERT INTO outbox_deadletters (event_id, original_id, event_type, aggregate_type,"
            + " aggregate_id, topic, payload, headers, attempts, last_error, created_at,"
            + " dead_lettered_at) VALUES (?, ?, ?, 'Order', ?, 'orders', ?, ?, 5, ?,"
            + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        eventId,
        1000 + Long.parseLong(aggregateId),
        type,
        aggregateId,
        "{\"order\":\"secret-order-" + aggregateId + "\"}",
        "{\"source\":\"test\"}",
        error);
  }
}
