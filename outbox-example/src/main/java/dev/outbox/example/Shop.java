package dev.outbox.example;

import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The example's business: users and orders, each change saved with its event in one tx. */
final class Shop {

  static final String USER_TOPIC = "user-events";
  static final String ORDER_TOPIC = "order-events";

  private static final Logger LOG = LoggerFactory.getLogger(Shop.class);

  private final DataSource dataSource;
  private final OutboxWriter writer = OutboxWriter.create();

  Shop(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void createTables() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS users (id VARCHAR(64) PRIMARY KEY, email VARCHAR(255),"
              + " name VARCHAR(255))");
      s.execute(
          "CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY, user_id VARCHAR(64),"
              + " total DECIMAL(12, 2))");
    }
  }

  /**
   * The specification's scenario: a user is created and updated, and places an order; three events
   * in one transaction, published only because it commits.
   */
  List<OutboxEvent> registerUserWithFirstOrder() throws SQLException {
    String userId = "user-" + shortId();
    String orderId = "order-" + shortId();
    String traceId = UUID.randomUUID().toString().replace("-", "");
    OutboxEvent created =
        event(
            USER_TOPIC,
            "UserCreated",
            "User",
            userId,
            traceId,
            Map.of("user_id", userId, "email", userId + "@example.com", "name", "Ada"));
    OutboxEvent updated =
        event(
            USER_TOPIC,
            "UserUpdated",
            "User",
            userId,
            traceId,
            Map.of("user_id", userId, "name", "Ada Lovelace"));
    OutboxEvent ordered =
        event(
            ORDER_TOPIC,
            "OrderCreated",
            "Order",
            orderId,
            traceId,
            Map.of("order_id", orderId, "user_id", userId, "total", 29.99));
    inTransaction(
        c -> {
          update(
              c,
              "INSERT INTO users (id, email, name) VALUES (?, ?, ?)",
              userId,
              userId + "@example.com",
              "Ada");
          update(c, "UPDATE users SET name = ? WHERE id = ?", "Ada Lovelace", userId);
          update(
              c, "INSERT INTO orders (id, user_id, total) VALUES (?, ?, 29.99)", orderId, userId);
          writer.saveAll(c, List.of(created, updated, ordered));
        });
    for (OutboxEvent e : List.of(created, updated, ordered)) {
      LOG.info(
          "Created event {} {} for {} {} (topic {})",
          e.eventType(),
          e.eventId(),
          e.aggregateType(),
          e.aggregateId(),
          e.topic());
    }
    return List.of(created, updated, ordered);
  }

  /** One more order with its event; used by the event generator. */
  OutboxEvent placeOrder(String userId) throws SQLException {
    String orderId = "order-" + shortId();
    OutboxEvent event =
        event(
            ORDER_TOPIC,
            "OrderCreated",
            "Order",
            orderId,
            null,
            Map.of("order_id", orderId, "user_id", userId, "total", 9.5));
    inTransaction(
        c -> {
          update(c, "INSERT INTO orders (id, user_id, total) VALUES (?, ?, 9.5)", orderId, userId);
          writer.save(c, event);
        });
    LOG.debug("Created event OrderCreated {} for Order {}", event.eventId(), orderId);
    return event;
  }

  private static OutboxEvent event(
      String topic,
      String type,
      String aggregateType,
      String aggregateId,
      @Nullable String traceId,
      Map<String, Object> payload) {
    Map<String, Object> body = new LinkedHashMap<>(payload);
    body.put("occurred_at", java.time.Instant.now().toString());
    OutboxEvent.Builder builder =
        OutboxEvent.builder()
            .eventType(type)
            .aggregateType(aggregateType)
            .aggregateId(aggregateId)
            .topic(topic)
            .payload(body);
    if (traceId != null) {
      builder.trace(traceId, traceId.substring(0, 16));
    }
    return builder.build();
  }

  /** Work that goes into one transaction with its business rows. */
  @FunctionalInterface
  private interface Work {
    void run(Connection c) throws SQLException;
  }

  /** Commits the work, or rolls it back and rethrows. */
  private void inTransaction(Work work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static void update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
