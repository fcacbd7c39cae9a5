package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.table;

import dev.outbox.OutboxEvent;
import dev.outbox.embedded.EmbeddedPostgresServer;
import dev.outbox.test.RecordingPublisher;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Id;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Table;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.DefaultJpaDialect;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@link Outbox} bean in an application on JPA (Hibernate, so Spring Boot's transaction manager
 * is a {@link JpaTransactionManager}), {@code JdbcTemplate} and jOOQ, all on one embedded
 * PostgreSQL: an entity, a {@code JdbcTemplate} row, a jOOQ row and the event are written in one
 * database transaction and commit or roll back together; a committed event is published.
 *
 * <p>"One transaction" is checked where PostgreSQL keeps it: each committed row's {@code xmin} is
 * the id of the transaction that wrote it, so the entity's, the other rows' and the event's must be
 * the same, and the same as {@code txid_current()} seen through the EntityManager, JdbcTemplate and
 * jOOQ inside the method. Inside it, another connection must not see the event yet.
 *
 * <p>The poll interval is ten minutes: the events are published because the {@code Outbox} wakes
 * the dispatcher after the commit.
 */
@ExtendWith(OutboxInJpaAndJooqTransactionsTest.StopServerAfterTheContext.class)
@SpringBootTest(classes = OutboxInJpaAndJooqTransactionsTest.App.class)
@DirtiesContext
class OutboxInJpaAndJooqTransactionsTest {

  private static final String TOPIC = "orders";
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final EmbeddedPostgresServer POSTGRES = EmbeddedPostgresServer.start();

  static {
    DataSource dataSource = POSTGRES.createDatabase("shop");
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE shop_orders (id VARCHAR(64) PRIMARY KEY)");
      s.execute("CREATE TABLE order_audit (order_id VARCHAR(64) PRIMARY KEY)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void servers(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> POSTGRES.jdbcUrl("shop"));
    registry.add("spring.datasource.username", POSTGRES::user);
    registry.add("spring.datasource.password", POSTGRES::password);
    registry.add("spring.jpa.hibernate.ddl-auto", () -> "none");
    registry.add("spring.jpa.open-in-view", () -> "false");
    // Boot's Flyway is on the test class path for OutboxFlywayConfigurationTest; this
    // application has no migrations of its own.
    registry.add("spring.flyway.enabled", () -> "false");
    registry.add("outbox.create-schema", () -> "true");
    registry.add("outbox.poll-interval", () -> "10m");
  }

  /** Stops the server after Spring closed the context, so the dispatcher stops first. */
  static final class StopServerAfterTheContext implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
      POSTGRES.close();
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(Shop.class)
  static class App {
    /** The dispatcher publishes through it instead of Kafka. */
    @Bean
    RecordingPublisher recordingPublisher() {
      return new RecordingPublisher();
    }
  }

  @Entity
  @Table(name = "shop_orders")
  static class ShopOrder {
    @Id private String id;

    protected ShopOrder() {}

    ShopOrder(String id) {
      this.id = id;
    }
  }

  /** What the transaction saw of itself just before it ended. */
  record Inside(
      long entityManagerTxid,
      long jdbcTxid,
      long jooqTxid,
      long eventRowXmin,
      int eventsSeenByAnotherConnection) {}

  /** The application's code: business rows and their event in one {@code @Transactional} method. */
  @Service
  static class Shop {
    @PersistenceContext private EntityManager entityManager;
    private final JdbcTemplate jdbc;
    private final DSLContext jooq;
    private final Outbox outbox;
    private final DataSource dataSource;

    Shop(JdbcTemplate jdbc, DSLContext jooq, Outbox outbox, DataSource dataSource) {
      this.jdbc = jdbc;
      this.jooq = jooq;
      this.outbox = outbox;
      this.dataSource = dataSource;
    }

    /**
     * An entity, a JdbcTemplate row and the event. Without {@code inside} nothing flushes the
     * entity before the commit does; with it, its native query does.
     */
    @Transactional
    public void placeWithJpa(String id, @Nullable Consumer<Inside> inside, boolean fail) {
      entityManager.persist(new ShopOrder(id));
      jdbc.update("INSERT INTO order_audit (order_id) VALUES (?)", id);
      outbox.save(placed(id));
      if (inside != null) {
        inside.accept(inside(id));
      }
      if (fail) {
        throw new IllegalStateException("the business rule said no");
      }
    }

    /** A jOOQ row and the event. */
    @Transactional
    public void placeWithJooq(String id, Consumer<Inside> inside, boolean fail) {
      jooq.insertInto(table("order_audit")).columns(field("order_id")).values(id).execute();
      outbox.save(placed(id));
      inside.accept(inside(id));
      if (fail) {
        throw new IllegalStateException("the business rule said no");
      }
    }

    private Inside inside(String eventId) {
      entityManager.flush();
      long fromEntityManager =
          ((Number) entityManager.createNativeQuery("SELECT txid_current()").getSingleResult())
              .longValue();
      long fromJdbc =
          Objects.requireNonNull(jdbc.queryForObject("SELECT txid_current()", Long.class));
      long fromJooq =
          Objects.requireNonNull(
              jooq.select(field("txid_current()", Long.class)).fetchOne(0, Long.class));
      return new Inside(
          fromEntityManager, fromJdbc, fromJooq, xmin(jdbc, eventId), countOutside(eventId));
    }

    /** On a connection of its own, outside the transaction. */
    private int countOutside(String eventId) {
      try (Connection c = dataSource.getConnection();
          var s = c.prepareStatement("SELECT COUNT(*) FROM outbox_events WHERE event_id = ?")) {
        s.setString(1, eventId);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          return r.getInt(1);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * The id of the transaction that wrote the event's row (until the dispatcher updates it: after
     * the commit only the business rows keep theirs).
     */
    static long xmin(JdbcTemplate jdbc, String eventId) {
      return Objects.requireNonNull(
          jdbc.queryForObject(
              "SELECT xmin::text::bigint FROM outbox_events WHERE event_id = ?",
              Long.class,
              eventId));
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

  @Autowired Shop shop;
  @Autowired JdbcTemplate jdbc;
  @Autowired DSLContext jooq;
  @Autowired Outbox outbox;
  @Autowired EntityManagerFactory entityManagerFactory;
  @Autowired RecordingPublisher publisher;
  @Autowired PlatformTransactionManager transactionManager;

  @Test
  void theTransactionManagerIsJpas() {
    assertThat(transactionManager).isInstanceOf(JpaTransactionManager.class);
  }

  @Test
  void anEntityAJdbcTemplateRowAndTheEventCommitInOneTransactionAndTheEventIsPublished() {
    Inside[] seen = new Inside[1];
    shop.placeWithJpa("jpa-committed", in -> seen[0] = in, false);

    Inside inside = seen[0];
    assertThat(inside.jdbcTxid()).isEqualTo(inside.entityManagerTxid());
    assertThat(inside.jooqTxid()).isEqualTo(inside.entityManagerTxid());
    assertThat(inside.eventsSeenByAnotherConnection()).isZero();
    long transaction = inside.entityManagerTxid() % (1L << 32);
    assertThat(inside.eventRowXmin()).isEqualTo(transaction);
    assertThat(xmin("shop_orders", "id", "jpa-committed")).isEqualTo(transaction);
    assertThat(xmin("order_audit", "order_id", "jpa-committed")).isEqualTo(transaction);

    awaitPublished("jpa-committed");
  }

  @Test
  void aFailureAfterTheSaveRollsBackTheEntityTheRowAndTheEvent() {
    Inside[] seen = new Inside[1];
    assertThatThrownBy(() -> shop.placeWithJpa("jpa-rolled-back", in -> seen[0] = in, true))
        .hasMessage("the business rule said no");

    assertThat(seen[0].jdbcTxid()).isEqualTo(seen[0].entityManagerTxid());
    assertNothingLeftOf("jpa-rolled-back");
    // A later commit is published; the rolled-back event never was, nor will be: it is not there.
    shop.placeWithJpa("jpa-after-the-rollback", in -> {}, false);
    awaitPublished("jpa-after-the-rollback");
    assertThat(publisher.attempts()).noneMatch(e -> e.eventId().equals("jpa-rolled-back"));
  }

  @Test
  void anEntityThatFailsAtTheCommitsFlushTakesTheEventWithIt() {
    jdbc.update("INSERT INTO shop_orders (id) VALUES ('jpa-taken')");

    // Hibernate inserts the entity at the commit's flush, after the event's insert: its duplicate
    // key fails the commit, and the event, saved without an error, is rolled back with it.
    assertThatThrownBy(() -> shop.placeWithJpa("jpa-taken", null, false))
        .isInstanceOf(DataIntegrityViolationException.class);

    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE event_id = 'jpa-taken'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM order_audit WHERE order_id = 'jpa-taken'")).isZero();
  }

  @Test
  void aJooqRowAndTheEventCommitInOneTransactionAndTheEventIsPublished() {
    Inside[] seen = new Inside[1];
    shop.placeWithJooq("jooq-committed", in -> seen[0] = in, false);

    Inside inside = seen[0];
    assertThat(inside.jooqTxid()).isEqualTo(inside.jdbcTxid());
    assertThat(inside.eventsSeenByAnotherConnection()).isZero();
    long transaction = inside.jooqTxid() % (1L << 32);
    assertThat(inside.eventRowXmin()).isEqualTo(transaction);
    assertThat(xmin("order_audit", "order_id", "jooq-committed")).isEqualTo(transaction);

    awaitPublished("jooq-committed");
  }

  @Test
  void aFailureAfterTheSaveRollsBackTheJooqRowAndTheEvent() {
    assertThatThrownBy(() -> shop.placeWithJooq("jooq-rolled-back", in -> {}, true))
        .hasMessage("the business rule said no");

    assertNothingLeftOf("jooq-rolled-back");
    shop.placeWithJooq("jooq-after-the-rollback", in -> {}, false);
    awaitPublished("jooq-after-the-rollback");
    assertThat(publisher.attempts()).noneMatch(e -> e.eventId().equals("jooq-rolled-back"));
  }

  @Test
  void jooqsOwnTransactionsCarryTheEventToo() {
    // Spring Boot runs jOOQ's transaction API on Spring's transaction manager.
    long[] eventRowXmin = new long[1];
    jooq.transaction(
        configuration -> {
          configuration
              .dsl()
              .insertInto(table("order_audit"))
              .columns(field("order_id"))
              .values("jooq-api-committed")
              .execute();
          outbox.save(Shop.placed("jooq-api-committed"));
          eventRowXmin[0] = Shop.xmin(jdbc, "jooq-api-committed");
        });
    assertThatThrownBy(
            () ->
                jooq.transaction(
                    configuration -> {
                      configuration
                          .dsl()
                          .insertInto(table("order_audit"))
                          .columns(field("order_id"))
                          .values("jooq-api-rolled-back")
                          .execute();
                      outbox.save(Shop.placed("jooq-api-rolled-back"));
                      throw new IllegalStateException("the business rule said no");
                    }))
        .hasMessage("the business rule said no");

    assertThat(eventRowXmin[0]).isEqualTo(xmin("order_audit", "order_id", "jooq-api-committed"));
    assertNothingLeftOf("jooq-api-rolled-back");
    awaitPublished("jooq-api-committed");
    assertThat(publisher.attempts()).noneMatch(e -> e.eventId().equals("jooq-api-rolled-back"));
  }

  @Test
  void aJpaTransactionWhoseDialectHidesItsConnectionIsRefused() {
    // Spring's DefaultJpaDialect (EclipseLink without EclipseLinkJpaDialect, say) gives the
    // transaction manager no JDBC connection to bind: the outbox would be handed one of its own, in
    // auto-commit, and the event would commit at once, whatever became of the transaction.
    JpaTransactionManager withoutConnection = new JpaTransactionManager(entityManagerFactory);
    withoutConnection.setJpaDialect(new DefaultJpaDialect());

    new TransactionTemplate(withoutConnection)
        .executeWithoutResult(
            status ->
                assertThatThrownBy(() -> outbox.save(Shop.placed("jpa-default-dialect")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the active one is not"));

    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE event_id = 'jpa-default-dialect'"))
        .isZero();
  }

  private void awaitPublished(String eventId) {
    await(eventId + " published")
        .atMost(DELIVERY_TIMEOUT)
        .until(() -> publisher.deliveredIds().contains(eventId));
  }

  private void assertNothingLeftOf(String id) {
    assertThat(count("SELECT COUNT(*) FROM shop_orders WHERE id = '" + id + "'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM order_audit WHERE order_id = '" + id + "'")).isZero();
    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE event_id = '" + id + "'")).isZero();
  }

  private int count(String sql) {
    return Objects.requireNonNull(jdbc.queryForObject(sql, Integer.class));
  }

  /** The id of the transaction that wrote the row. */
  private long xmin(String table, String key, String id) {
    return Objects.requireNonNull(
        jdbc.queryForObject(
            "SELECT xmin::text::bigint FROM " + table + " WHERE " + key + " = ?", Long.class, id));
  }
}
