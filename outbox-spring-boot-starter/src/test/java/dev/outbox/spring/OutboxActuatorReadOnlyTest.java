package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.test.RecordingPublisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Boot's access model for the {@code outbox} endpoint: exposed but left at its default access, it
 * reads and refuses every replay and purge. On H2: the refusal is the web layer's, not the
 * database's.
 */
@SpringBootTest(
    classes = OutboxActuatorReadOnlyTest.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:actuator-read-only;DB_CLOSE_DELAY=-1",
      "management.endpoints.web.exposure.include=outbox",
      "outbox.create-schema=true"
    })
@DirtiesContext
class OutboxActuatorReadOnlyTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    RecordingPublisher publisher() {
      return new RecordingPublisher();
    }
  }

  @LocalServerPort int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readsButRefusesReplaysAndPurges() throws Exception {
    assertThat(send(request("/actuator/outbox").GET()).statusCode()).isEqualTo(200);
    assertThat(send(request("/actuator/outbox/deadletters").GET()).statusCode()).isEqualTo(200);

    // Not mapped at all: no operation of that path is allowed.
    assertThat(post("/actuator/outbox/deadletters/e-1")).isEqualTo(404);
    assertThat(send(request("/actuator/outbox/deadletters/e-1").DELETE()).statusCode())
        .isEqualTo(404);
    // Mapped for reading only.
    assertThat(post("/actuator/outbox/deadletters")).isEqualTo(405);
    assertThat(send(request("/actuator/outbox/deadletters?all=true").DELETE()).statusCode())
        .isEqualTo(405);
  }

  private int post(String path) throws Exception {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString("{\"all\":true}")))
        .statusCode();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
