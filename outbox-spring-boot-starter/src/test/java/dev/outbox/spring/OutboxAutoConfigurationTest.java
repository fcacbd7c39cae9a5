package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.kafka.KafkaPublisher;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.ForwardingPublisher;
import dev.outbox.spi.Publication;
import dev.outbox.spi.Publisher;
import dev.outbox.test.RecordingPublisher;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/** What the auto-configuration makes of the properties, without starting anything. */
class OutboxAutoConfigurationTest {

  private static final Publisher NOTHING =
      new Publisher() {
        @Override
        public Publication publish(EventRecord event) {
          return Publication.acknowledged();
        }
      };

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  OutboxAutoConfiguration.class,
                  OutboxKafkaAutoConfiguration.class,
                  OutboxMetricsAutoConfiguration.class,
                  OutboxTracingAutoConfiguration.class))
          .withBean(DataSource.class, OutboxAutoConfigurationTest::h2)
          .withPropertyValues("outbox.create-schema=true");

  private static DataSource h2() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:autoconfig-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  @Test
  void theApplicationsPublisherAndTheProperties() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.batch-size=250", "outbox.poll-interval=500ms")
        .run(
            context -> {
              Dispatcher dispatcher = context.getBean(Dispatcher.class);
              assertThat(dispatcher.config().batchSize()).isEqualTo(250);
              assertThat(dispatcher.config().publisher()).isSameAs(NOTHING);
              assertThat(context).hasSingleBean(Outbox.class);
            });
  }

  record Order(String id, java.math.BigDecimal total, List<String> lines) {}

  /**
   * Regression: the README's snippet, a record as the payload, threw "payload holds a …$Order,
   * which has no JSON form here": a Spring Boot application expects its JSON mapper to write it.
   */
  @Test
  void payloadObjectsAreWrittenByTheApplicationsJsonMapper() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withBean(JsonMapper.class, () -> JsonMapper.builder().build())
        .run(
            context -> {
              Outbox outbox = context.getBean(Outbox.class);
              OutboxEvent event =
                  outbox.event(
                      "OrderPlaced",
                      "Order",
                      "o-1",
                      "orders",
                      new Order("o-1", new java.math.BigDecimal("12.50"), List.of("book")));
              assertThat(event.payload())
                  .isEqualTo("{\"id\":\"o-1\",\"total\":12.50,\"lines\":[\"book\"]}");
              assertThat(event.eventId()).isNotEqualTo("o-1");
              assertThat(outbox.event("OrderPlaced", "Order", "o-1", "orders", Map.of()).eventId())
                  .isNotEqualTo(event.eventId());
            });
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withClassLoader(new FilteredClassLoader(JsonMapper.class))
        .run(
            context ->
                assertThat(
                        context
                            .getBean(Outbox.class)
                            .event("OrderPlaced", "Order", "o-1", "orders", Map.of("id", "o-1"))
                            .payload())
                    .isEqualTo("{\"id\":\"o-1\"}"));
  }

  /** Regression: the lifecycle's stop closed the dispatcher, and the start that followed threw. */
  @Test
  void aContextStoppedAndStartedAgainPublishesAgain() {
    RecordingPublisher publisher = new RecordingPublisher();
    runner
        .withBean(Publisher.class, () -> publisher)
        .run(
            context -> {
              Dispatcher dispatcher = context.getBean(Dispatcher.class);
              assertThat(dispatcher.isRunning()).isTrue();
              context.stop();
              assertThat(dispatcher.isRunning()).isFalse();
              context.start();
              assertThat(dispatcher.isRunning()).isTrue();
              try (Connection c = context.getBean(DataSource.class).getConnection()) {
                context.getBean(OutboxWriter.class).save(c, event("after-restart"));
              }
              publisher.awaitDelivered(1, Duration.ofSeconds(10));
              assertThat(publisher.deliveredIds()).containsExactly("after-restart");
            });
    assertThat(publisher.isClosed()).isTrue();
  }

  @Test
  void withOpenTelemetrySavedEventsCarryTheTraceAndPublishesAreSpans() {
    OpenTelemetrySdk openTelemetry =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
                    .build())
            .build();
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withBean(OpenTelemetry.class, () -> openTelemetry)
        .run(
            context -> {
              Publisher used = context.getBean(Dispatcher.class).config().publisher();
              assertThat(used).isInstanceOf(ForwardingPublisher.class).isNotSameAs(NOTHING);
              OutboxWriter writer = context.getBean(OutboxWriter.class);
              Span request = openTelemetry.getTracer("test").spanBuilder("request").startSpan();
              try (Scope ignored = request.makeCurrent();
                  Connection c = context.getBean(DataSource.class).getConnection()) {
                writer.save(c, event("traced"));
              } finally {
                request.end();
              }
              try (Connection c = context.getBean(DataSource.class).getConnection();
                  ResultSet rs =
                      c.createStatement()
                          .executeQuery(
                              "SELECT traceparent FROM outbox_events WHERE event_id = 'traced'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).contains(request.getSpanContext().getTraceId());
              }
            });
  }

  @Test
  void withoutOpenTelemetryThePublisherIsTheApplicationsOwn() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .run(
            context ->
                assertThat(context.getBean(Dispatcher.class).config().publisher())
                    .isSameAs(NOTHING));
  }

  @Test
  void theDispatchersMetersAreBoundToTheRegistrySpringBootGives() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .run(
            context -> {
              SimpleMeterRegistry registry = new SimpleMeterRegistry();
              context.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(registry));
              assertThat(registry.find("outbox.backlog").tag("status", "pending").gauge())
                  .isNotNull();
              assertThat(registry.find("outbox.commit.to.ack").timer()).isNotNull();
            });
  }

  private static OutboxEvent event(String id) {
    return OutboxEvent.builder()
        .eventId(id)
        .eventType("OrderPlaced")
        .aggregateType("Order")
        .aggregateId(id)
        .topic("orders")
        .payload(Map.of("id", id))
        .build();
  }

  /**
   * Regression: {@code outbox.batch-size=0} was refused seven "Caused by" lines deep, naming {@code
   * batchSize}, without Spring Boot's failure report.
   */
  @Test
  void anInvalidPropertyStopsTheApplicationWithAReportNamingTheProperty() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.batch-size=0")
        .run(
            context -> {
              Throwable failure = context.getStartupFailure();
              FailureAnalysis analysis = new OutboxFailureAnalyzer().analyze(failure);
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .isEqualTo(
                      "An outbox setting is invalid: outbox.batch-size must be between 1 and 10000, was 0");
              assertThat(analysis.getAction()).contains("application.properties");
            });
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.stuck-timeout=1s", "outbox.stuck-check-interval=2s")
        .run(
            context ->
                assertThat(new OutboxFailureAnalyzer().analyze(context.getStartupFailure()))
                    .extracting(FailureAnalysis::getDescription)
                    .isEqualTo(
                        "An outbox setting is invalid: outbox.stuck-check-interval (PT2S) must not"
                            + " exceed outbox.stuck-timeout (PT1S)"));
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.backoff-cap=0s")
        .run(
            context ->
                assertThat(new OutboxFailureAnalyzer().analyze(context.getStartupFailure()))
                    .extracting(FailureAnalysis::getDescription)
                    .asString()
                    .startsWith("An outbox setting is invalid: outbox.backoff-cap must be > 0"));
  }

  /**
   * Regression: {@code outbox.batch-sise=50} and {@code outbox.pol-interval=100ms} were ignored
   * without a word, and the defaults applied.
   */
  @Test
  void aMisspeltPropertyStopsTheApplicationSayingWhatItProbablyMeant() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues(
            "outbox.batch-sise=50",
            "outbox.pol-interval=100ms",
            "outbox.kafka.properties.security.protocol=PLAINTEXT",
            "outbox.batch-size=20")
        .run(
            context -> {
              FailureAnalysis analysis =
                  new OutboxFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("unknown property outbox.batch-sise")
                  .contains("did you mean outbox.batch-size?")
                  .contains("unknown property outbox.pol-interval")
                  .contains("did you mean outbox.poll-interval?")
                  .doesNotContain("security.protocol")
                  .doesNotContain("property outbox.batch-size ");
            });
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.kafka.properties.security.protocol=PLAINTEXT")
        .run(context -> assertThat(context).hasNotFailed());
  }

  /**
   * Regression: without its tables the application started and reported UP, then every save failed
   * with "relation outbox_events does not exist", with no hint of what to set.
   */
  @Test
  void missingTablesStopTheApplicationWithAReportSayingHowToCreateThem() {
    runner
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.create-schema=false")
        .run(
            context -> {
              FailureAnalysis analysis =
                  new OutboxFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .startsWith("The outbox tables outbox_events/outbox_deadletters cannot be read");
              assertThat(analysis.getAction())
                  .contains("outbox.create-schema=true", "outbox.flyway.enabled=true");
            });
  }

  /**
   * The starter no longer requires outbox-kafka; without it and without a publisher, it says so.
   */
  @Test
  void withoutOutboxKafkaAndWithoutAPublisherTheReportSaysWhatToAdd() {
    runner
        .withClassLoader(new FilteredClassLoader(KafkaPublisher.class))
        .run(
            context -> {
              FailureAnalysis analysis =
                  new OutboxFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .contains("no dev.outbox.spi.Publisher bean", "outbox-kafka");
              assertThat(analysis.getAction()).contains("dev.outbox:outbox-kafka");
            });
    runner
        .withClassLoader(new FilteredClassLoader(KafkaPublisher.class))
        .withBean(Publisher.class, () -> NOTHING)
        .run(context -> assertThat(context.getBean(Dispatcher.class).isRunning()).isTrue());
  }

  /** Regression: metrics and tracing were imported parts of the outbox's auto-configuration. */
  @Test
  void tracingAndMetricsAreExcludedEachAlone() {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ExcludingApp.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.datasource.url=jdbc:h2:mem:exclusion;DB_CLOSE_DELAY=-1",
                "outbox.create-schema=true",
                "spring.autoconfigure.exclude=" + OutboxTracingAutoConfiguration.class.getName())
            .run()) {
      assertThat(context.getBeansOfType(OutboxTracingAutoConfiguration.TracingHooks.class))
          .isEmpty();
      assertThat(context.getBeansOfType(MeterBinder.class)).containsKey("outboxMeterBinder");
      assertThat(context.getBean(Dispatcher.class).config().publisher()).isSameAs(NOTHING);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class ExcludingApp {
    @Bean
    Publisher publisher() {
      return NOTHING;
    }

    @Bean
    OpenTelemetry openTelemetry() {
      return OpenTelemetry.noop();
    }
  }

  /** Tables made before migration V2 stop the start too, naming the column they lack. */
  @Test
  void tablesWithoutTheReplayColumnStopTheApplicationWithAReportSayingHowToAddIt()
      throws SQLException {
    DataSource dataSource = h2();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      OutboxSchema.create(c, OutboxTables.defaults());
      s.execute("ALTER TABLE outbox_events DROP COLUMN replayed_at");
    }
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(OutboxAutoConfiguration.class))
        .withBean(DataSource.class, () -> dataSource)
        .withBean(Publisher.class, () -> NOTHING)
        .withPropertyValues("outbox.create-schema=false")
        .run(
            context -> {
              FailureAnalysis analysis =
                  new OutboxFailureAnalyzer().analyze(context.getStartupFailure());
              assertThat(analysis).isNotNull();
              assertThat(analysis.getDescription())
                  .startsWith("The outbox table outbox_events has no column replayed_at");
              assertThat(analysis.getAction())
                  .contains("outbox.create-schema=true", "outbox.flyway.enabled=true");
            });
  }

  @Test
  void withoutBrokerSettingsTheErrorSaysWhatToSet() {
    runner.run(
        context ->
            assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("outbox.kafka.bootstrap-servers"));
  }

  @Test
  void disabledThereIsNoDispatcherButTheOutboxStillSaves() {
    runner
        .withPropertyValues("outbox.enabled=false")
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(Dispatcher.class);
              assertThat(context).hasSingleBean(Outbox.class);
            });
  }
}
