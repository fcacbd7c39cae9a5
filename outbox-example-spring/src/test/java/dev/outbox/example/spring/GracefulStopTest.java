package dev.outbox.example.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.outbox.embedded.KafkaRecords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Regression: stopped under load, the service left the events of orders committed before the stop
 * unpublished until its next start (142 of them, in a trial with SIGTERM), although the README said
 * they would go out with it. Clients post orders while the application context closes, as on
 * SIGTERM: every order the service accepted has its event on the topic once the close returns.
 */
class GracefulStopTest {

  private static final int CLIENTS = 4;

  @Test
  void aStopUnderLoadPublishesTheEventOfEveryOrderAcceptedBeforeIt() throws Exception {
    SpringApplication application = new SpringApplication(ExampleSpringApp.class);
    application.addListeners(new EmbeddedServers());
    ConfigurableApplicationContext context =
        application.run(
            "--server.port=0", "--spring.main.banner-mode=off", "--outbox.poll-interval=100ms");
    String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    String bootstrapServers =
        context.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicBoolean posting = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.execute(() -> postOrders(base, client, posting, accepted));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 300);

      context.close();
    } finally {
      posting.set(false);
      clients.shutdown();
      assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    List<ConsumerRecord<String, String>> records =
        KafkaRecords.read(
            bootstrapServers, List.of(OrderService.TOPIC), accepted.size(), Duration.ofSeconds(10));
    Set<String> published = records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    List<String> missing = new ArrayList<>(accepted);
    missing.removeAll(published);
    assertThat(missing).as("accepted orders whose event was not published").isEmpty();
  }

  /** Posts orders one after the other until told to stop or the service stops answering. */
  private static void postOrders(
      String base, int client, AtomicBoolean posting, Set<String> accepted) {
    HttpClient http = HttpClient.newHttpClient();
    for (int n = 0; posting.get(); n++) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/orders"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"customer\":\"c" + client + "-" + n + "\",\"amount\":1}"))
              .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
          accepted.add(JsonPath.read(response.body(), "$.id"));
        } else if (response.statusCode() >= 500) {
          return;
        }
      } catch (IOException e) {
        return; // the service stopped listening
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
