package dev.outbox.relay;

import dev.outbox.Redaction;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running relay's workers, as its console reports them ({@code <console>/api/overview}): a
 * dispatcher's workers live in its process, not in the tables.
 */
final class RelayWorkers {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RelayWorkers() {}

  /** Prints the relay's state and workers; false, with why, if it does not answer. */
  static boolean print(PrintWriter out, URI console) {
    String base = console.toString().replaceAll("/+$", "");
    JsonNode overview;
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(TIMEOUT)
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/api/overview"))
                      .timeout(TIMEOUT)
                      .header("Accept", "application/json")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        out.printf(
            "relay %s: answered %d, not the console's overview%n", base, response.statusCode());
        return false;
      }
      overview = JSON.readTree(response.body());
    } catch (IOException | JacksonException | IllegalArgumentException e) {
      out.printf("relay %s: no answer: %s%n", base, Redaction.describe(e));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.printf("relay %s: interrupted%n", base);
      return false;
    }
    out.printf(
        "relay %s: instance %s, %s%n",
        base,
        overview.path("instanceId").asString(),
        overview.path("running").asBoolean() ? "running" : "stopped");
    for (JsonNode worker : overview.path("workers")) {
      JsonNode error = worker.path("lastError");
      out.printf(
          "  worker %s: %s, %d run(s), last at %s%s%n",
          worker.path("name").asString(),
          worker.path("state").asString(),
          worker.path("runs").asLong(),
          worker.path("lastRunAt").asString("never"),
          error.isNull() || error.isMissingNode() ? "" : "; last error: " + error.asString());
    }
    return true;
  }
}
