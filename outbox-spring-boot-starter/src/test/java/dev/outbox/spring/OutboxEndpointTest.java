package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outbox.DatabaseType;
import dev.outbox.DeadLetterQuery;
import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.PublishException;
import dev.outbox.test.RecordingPublisher;
import java.security.Principal;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;

/**
 * Dead letters' payloads and header values, which may hold personal data, are listed only as {@code
 * management.endpoint.outbox.show-values} allows, as Boot's own endpoints do with values.
 */
class OutboxEndpointTest {

  private final RecordingPublisher publisher = new RecordingPublisher();
  private Dispatcher dispatcher;

  @BeforeEach
  void deadLetter() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:endpoint-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    publisher.behave(
        e ->
            CompletableFuture.failedFuture(
                PublishException.permanent("rejected", new IllegalArgumentException("no"))));
    dispatcher =
        Dispatcher.builder(h2)
            .publisher(publisher)
            .dialect(DatabaseType.H2)
            .createSchema(true)
            .pollInterval(Duration.ofMillis(20))
            .deadLetterInterval(Duration.ofMillis(20))
            .build();
    dispatcher.start();
    try (Connection connection = h2.getConnection()) {
      OutboxWriter.create()
          .save(
              connection,
              OutboxEvent.builder()
                  .eventId("e-1")
                  .eventType("CustomerRegistered")
                  .aggregateType("Customer")
                  .aggregateId("c-1")
                  .topic("customers")
                  .payload(Map.of("email", "ada@example.com"))
                  .header("tenant", "acme")
                  .build());
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.deadLetters().list(DeadLetterQuery.all()).size() == 1);
  }

  @AfterEach
  void stop() {
    dispatcher.close();
  }

  @Test
  void byDefaultPayloadsAndHeaderValuesAreMasked() {
    OutboxEndpoint.DeadLetterView listed = listed(Show.NEVER, Set.of(), SecurityContext.NONE);
    assertThat(listed.eventId()).isEqualTo("e-1");
    assertThat(listed.lastError()).contains("rejected");
    assertThat(listed.payload()).isEqualTo("******");
    assertThat(listed.headers()).containsEntry("tenant", "******");
  }

  @Test
  void shownAlwaysOrToTheRolesNamed() {
    assertThat(listed(Show.ALWAYS, Set.of(), SecurityContext.NONE).payload())
        .contains("ada@example.com");
    assertThat(listed(Show.WHEN_AUTHORIZED, Set.of("ops"), user("ops")).headers())
        .containsEntry("tenant", "acme");
    assertThat(listed(Show.WHEN_AUTHORIZED, Set.of("ops"), user("dev")).payload())
        .isEqualTo("******");
    assertThat(listed(Show.WHEN_AUTHORIZED, Set.of("ops"), SecurityContext.NONE).payload())
        .isEqualTo("******");
  }

  private OutboxEndpoint.DeadLetterView listed(
      Show show, Set<String> roles, SecurityContext caller) {
    Object body =
        new OutboxEndpoint(dispatcher, show, roles)
            .deadLetters("deadletters", null, null, null, null, null, null, null, null, caller)
            .getBody();
    return ((OutboxEndpoint.DeadLetterPage) body).deadLetters().get(0);
  }

  private static SecurityContext user(String role) {
    return new SecurityContext() {
      @Override
      public @Nullable Principal getPrincipal() {
        return () -> "someone";
      }

      @Override
      public boolean isUserInRole(String name) {
        return name.equals(role);
      }
    };
  }
}
