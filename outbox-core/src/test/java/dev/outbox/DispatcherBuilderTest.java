package dev.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbox.spi.Publication;
import dev.outbox.spi.Publisher;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class DispatcherBuilderTest {

  private final DispatcherBuilder builder = Dispatcher.builder(new JdbcDataSource());
  private final Publisher publisher = event -> Publication.acknowledged();

  @Test
  void defaultsAreTheSpecification() {
    DispatcherConfig config = builder.publisher(publisher).build().config();
    assertThat(config.batchSize()).isEqualTo(10);
    assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.backoff().delay(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.backoff().delay(10)).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.deadLetterInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.stuckTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.stuckCheckInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.deadLetterRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.sentRetention()).isEqualTo(Duration.ofDays(1));
    assertThat(config.cleanupInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.deadLetterPolicy()).isEqualTo(DeadLetterPolicy.HOLD_AGGREGATE);
    assertThat(config.tables()).isEqualTo(OutboxTables.defaults());
    assertThat(config.asMap()).containsEntry("backoff", "exponential(base=PT1M, cap=PT30M)");
  }

  @Test
  void badValuesAreRefusedAtTheSetterNamingTheOption() {
    assertThatThrownBy(() -> builder.batchSize(0))
        .hasMessage("batchSize must be between 1 and 10000, was 0");
    assertThatThrownBy(() -> builder.maxAttempts(0)).hasMessage("maxAttempts must be >= 1, was 0");
    assertThatThrownBy(() -> builder.pollInterval(Duration.ofSeconds(-1)))
        .hasMessage("pollInterval must be > 0, was PT-1S");
    assertThatThrownBy(() -> builder.stuckTimeout(Duration.ZERO))
        .hasMessage("stuckTimeout must be > 0, was PT0S");
    assertThatThrownBy(() -> builder.cleanupBatchSize(-3))
        .hasMessage("cleanupBatchSize must be >= 1, was -3");
    assertThatThrownBy(() -> builder.instanceId(" ")).hasMessageContaining("instanceId");
  }

  @Test
  void buildRequiresAPublisherAndConsistentStuckSettings() {
    assertThatThrownBy(builder::build).hasMessageContaining("publisher is required");
    builder
        .publisher(publisher)
        .stuckTimeout(Duration.ofSeconds(30))
        .stuckCheckInterval(Duration.ofMinutes(1));
    assertThatThrownBy(builder::build)
        .hasMessageContaining("stuckCheckInterval (PT1M) must not exceed stuckTimeout (PT30S)");
  }

  @Test
  void tableNamesMustBePlainIdentifiers() {
    assertThat(OutboxTables.of("app.events", "app.dead").events()).isEqualTo("app.events");
    assertThatThrownBy(() -> OutboxTables.of("events; DROP TABLE users", "dead"))
        .hasMessageContaining("eventsTable must be a plain SQL identifier");
    assertThatThrownBy(() -> OutboxTables.of("events", "dead letters"))
        .hasMessageContaining("deadLettersTable");
    assertThatThrownBy(() -> OutboxTables.of("same", "SAME")).hasMessageContaining("must differ");
  }
}
