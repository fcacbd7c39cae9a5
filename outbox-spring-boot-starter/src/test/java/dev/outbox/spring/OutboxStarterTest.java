package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedPostgresServer;
import dev.outbox.kafka.KafkaHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The starter in a Spring Boot application on embedded PostgreSQL and the in-process Kafka broker:
 * events saved in {@code @Transactional} methods are published when they commit, never when they
 * roll back, and {@code save} outside a transaction is refused.
 */
@ExtendWith(OutboxStarterTest.StopServersAfterTheContext.class)
@SpringBootTest(classes = OutboxStarterTest.App.class)
@DirtiesContext
class OutboxStarterTest {

  private static final String TOPIC = "orders";
  private static final EmbeddedPostgresServer POSTGRES = EmbeddedPostgresServer.start();
  private static final EmbeddedKafka KAFKA = EmbeddedKafka.start();

  static {
    POSTGRES.createDatabase("starter");
    KAFKA.createTopic(TOPIC, 1);
  }

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> POSTGRES.jdbcUrl("starter"));
    registry.add("spring.datasource.username", POSTGRES::user);
    registry.add("spring.datasource.password", POSTGRES::password);
    registry.add("spring.kafka.bootstrap-servers", KAFKA::bootstrapServers);
    registry.add("outbox.create-schema", () -> "true");
    registry.add("outbox.poll-interval", () -> "100ms");
  }

  /**
   * Stops the servers after Spring closed the context (registered before Spring's extension, its
   * callback runs after), so the dispatcher stops while its database and broker are still there.
   */
  static final class StopServersAfterTheContext implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
      KAFKA.close();
      POSTGRES.close();
    }
  }

  /**
   * JDBC only, on Spring Boot's DataSourceTransactionManager: JPA and jOOQ, on the test class path
   * for {@link OutboxInJpaAndJooqTransactionsTest}, are left out.
   */
  @SpringBootConfiguration
  @EnableAutoConfiguration(
      excludeName = {
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
        "org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration"
      })
  @Import(Orders.class)
  static class App {}

  /** The application's code: an order row and its event in one transaction. */
  @Service
  static class Orders {
    private final JdbcTemplate jdbc;
    private final Outbox outbox;

    Orders(JdbcTemplate jdbc, Outbox outbox) {
      this.jdbc = jdbc;
      this.outbox = outbox;
      jdbc.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY)");
    }

    @Transactional
    public void place(String id) {
      jdbc.update("INSERT INTO orders (id) VALUES (?)", id);
      outbox.save(placed(id));
    }

    @Transactional
    public void placeAndFail(String id) {
      jdbc.update("INSERT INTO orders (id) VALUES (?)", id);
      outbox.save(placed(id));
      throw new IllegalStateException("the business rule said no");
    }

    static OutboxEvent placed(String id) {
      return OutboxEvent.builder()
          .eventId(id)
          .eventType("OrderPlaced")
          .aggregateType("Order")
          .aggregateId(id)
          .topic(TOPIC)
          .payload(Map.of("id", id))
          .build();
    }
  }

  @Autowired Orders orders;
  @Autowired Outbox outbox;
  @Autowired Dispatcher dispatcher;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactionManager;

  @Test
  void anEventOfACommittedTransactionIsPublishedAndOneOfARolledBackOneNever() {
    assertThatThrownBy(() -> orders.placeAndFail("rolled-back"))
        .hasMessage("the business rule said no");
    orders.place("committed");

    List<ConsumerRecord<String, String>> records = KAFKA.read(TOPIC, 1, Duration.ofSeconds(30));
    assertThat(records)
        .extracting(r -> KafkaHeaders.lastValue(r.headers(), KafkaHeaders.EVENT_ID))
        .containsExactly("committed");
    // Rolled back with its order: there is nothing the dispatcher could ever publish.
    assertThat(jdbc.queryForList("SELECT event_id FROM outbox_events", String.class))
        .containsExactly("committed");
    assertThat(jdbc.queryForList("SELECT id FROM orders", String.class))
        .containsExactly("committed");
    assertThat(dispatcher.isRunning()).isTrue();
    assertThat(transactionManager).isInstanceOf(DataSourceTransactionManager.class);
  }

  @Test
  void saveInATransactionOfAnotherDataSourceIsRefused() {
    // Spring hands the outbox a connection of its own there, in auto-commit: the event would
    // commit at once, whatever became of the transaction.
    JdbcDataSource other = new JdbcDataSource();
    other.setURL("jdbc:h2:mem:other;DB_CLOSE_DELAY=-1");
    new TransactionTemplate(new DataSourceTransactionManager(other))
        .executeWithoutResult(
            status ->
                assertThatThrownBy(() -> outbox.save(Orders.placed("elsewhere")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the active one is not"));
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox_events WHERE event_id = 'elsewhere'", Integer.class))
        .isZero();
  }

  @Test
  void saveOutsideATransactionIsRefused() {
    assertThatThrownBy(() -> outbox.save(Orders.placed("loose")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("active Spring-managed transaction");
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox_events WHERE event_id = 'loose'", Integer.class))
        .isZero();
  }
}
