package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.embedded.EmbeddedPostgresServer;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publication;
import dev.outbox.spi.Publisher;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code outbox.flyway.*}: the outbox's tables migrated by Flyway before the dispatcher. */
class OutboxFlywayConfigurationTest {

  private final List<EventRecord> published = new CopyOnWriteArrayList<>();

  private final Publisher recording =
      new Publisher() {
        @Override
        public Publication publish(EventRecord event) {
          published.add(event);
          return Publication.acknowledged();
        }
      };

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(OutboxAutoConfiguration.class, OutboxFlywayConfiguration.class))
          .withBean(Publisher.class, () -> recording)
          .withPropertyValues("outbox.poll-interval=100ms");

  private static DataSource h2() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:outbox-flyway-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dataSource.setUser("sa");
    return dataSource;
  }

  @Test
  void offByDefault() {
    DataSource dataSource = h2();
    runner
        .withBean(DataSource.class, () -> dataSource)
        .withPropertyValues("outbox.enabled=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context)
                  .doesNotHaveBean(OutboxFlywayConfiguration.OutboxFlywayMigration.class);
              assertThat(outboxHistory(dataSource, "outbox_schema_history", "h2")).isEmpty();
            });
  }

  @Test
  void theTablesAreMigratedBeforeTheDispatcherIsCreatedAndThenItPublishes() {
    DataSource dataSource = h2();
    runner
        .withBean(DataSource.class, () -> dataSource)
        .withPropertyValues("outbox.flyway.enabled=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(dependsOn(context, "outboxDispatcher")).contains("outboxFlywayMigration");
              // An empty database: no baseline, V1 and V2 at once.
              assertThat(outboxHistory(dataSource, "outbox_schema_history", "h2"))
                  .containsExactly("1 SUCCESS", "2 SUCCESS");
              assertSavedEventIsPublished(context);
            });
  }

  @Test
  void afterTheApplicationsOwnFlywayWithAHistoryTableOfItsOwn() {
    DataSource dataSource = h2();
    runner
        .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
        .withBean(DataSource.class, () -> dataSource)
        .withPropertyValues(
            "spring.flyway.locations=classpath:db/app-migration",
            "outbox.flyway.enabled=true",
            "outbox.flyway.table=outbox_history")
        .run(
            context -> {
              // Had the outbox's run first, the application's Flyway would have refused the
              // schema it made (not empty, no history: Spring Boot does not baseline by default).
              assertThat(context).hasNotFailed();
              assertThat(dependsOn(context, "outboxFlywayMigration")).contains("flywayInitializer");
              assertThat(history(dataSource, "flyway_schema_history", "classpath:db/app-migration"))
                  .containsExactly("1 SUCCESS");
              assertThat(outboxHistory(dataSource, "outbox_history", "h2"))
                  .containsExactly("0 BASELINE", "1 SUCCESS", "2 SUCCESS");
              assertSavedEventIsPublished(context);
            });
  }

  @Test
  void otherTableNamesAreRefusedSayingWhatToDoInstead() {
    runner
        .withBean(DataSource.class, OutboxFlywayConfigurationTest::h2)
        .withPropertyValues("outbox.flyway.enabled=true", "outbox.events-table=my_events")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("outbox.flyway.enabled")
                    .hasMessageContaining("outbox.create-schema"));
  }

  @Test
  void onPostgresqlItsOwnMigration() {
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
      DataSource dataSource = postgres.createDatabase("outbox_flyway");
      runner
          .withBean(DataSource.class, () -> dataSource)
          .withPropertyValues("outbox.flyway.enabled=true")
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(OutboxFlywayConfiguration.vendor(dataSource)).isEqualTo("postgresql");
                assertThat(outboxHistory(dataSource, "outbox_schema_history", "postgresql"))
                    .containsExactly("1 SUCCESS", "2 SUCCESS");
                assertSavedEventIsPublished(context);
              });
    }
  }

  private static List<String> dependsOn(AssertableApplicationContext context, String bean) {
    String[] dependsOn = context.getBeanFactory().getBeanDefinition(bean).getDependsOn();
    return dependsOn == null ? List.of() : Arrays.asList(dependsOn);
  }

  private static List<String> outboxHistory(DataSource dataSource, String table, String vendor) {
    return history(dataSource, table, "classpath:dev/outbox/db/flyway/" + vendor);
  }

  /** The migrations of this location applied as this history table records: version, state. */
  private static List<String> history(DataSource dataSource, String table, String location) {
    Flyway flyway =
        Flyway.configure().dataSource(dataSource).table(table).locations(location).load();
    return Arrays.stream(flyway.info().applied())
        .map(m -> m.getVersion().getVersion() + " " + m.getState())
        .toList();
  }

  private void assertSavedEventIsPublished(AssertableApplicationContext context) throws Exception {
    try (Connection c = context.getBean(DataSource.class).getConnection()) {
      context
          .getBean(OutboxWriter.class)
          .save(
              c,
              OutboxEvent.builder()
                  .eventId("migrated")
                  .eventType("OrderPlaced")
                  .aggregateType("Order")
                  .aggregateId("o-1")
                  .topic("orders")
                  .payload(Map.of("id", "o-1"))
                  .build());
    }
    await("the saved event published")
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> published.stream().map(EventRecord::eventId).toList(),
            List.of("migrated")::equals);
  }
}
