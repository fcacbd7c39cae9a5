package dev.outbox.example.spring;

import dev.outbox.OutboxEvent;
import dev.outbox.spring.Outbox;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Orders: the row and its {@code OrderCreated} event commit together, or neither does. */
@Service
class OrderService {

  static final String TOPIC = "orders";

  /** What one customer's orders may add up to. */
  static final BigDecimal CREDIT_LIMIT = new BigDecimal("1000");

  record Order(String id, String customer, BigDecimal amount, OffsetDateTime createdAt) {}

  private final JdbcTemplate jdbc;
  private final Outbox outbox;

  OrderService(JdbcTemplate jdbc, Outbox outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  /**
   * Saves an order and its event in one transaction and returns the order's id.
   *
   * @throws OrderRejectedException when the order breaks a business rule; nothing is then saved
   */
  @Transactional
  public String place(@Nullable String customer, @Nullable BigDecimal amount) {
    if (customer == null || customer.isBlank()) {
      throw new OrderRejectedException("customer is required");
    }
    if (amount == null || amount.signum() <= 0) {
      throw new OrderRejectedException("amount must be positive");
    }
    String id = UUID.randomUUID().toString();
    jdbc.update("INSERT INTO orders (id, customer, amount) VALUES (?, ?, ?)", id, customer, amount);

    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("orderId", id);
    payload.put("customer", customer);
    payload.put("amount", amount);
    outbox.save(
        OutboxEvent.builder()
            .eventType("OrderCreated")
            .aggregateType("Order")
            .aggregateId(id)
            .topic(TOPIC)
            .payload(payload)
            .build());

    // Checked after the writes, to show the rollback: a rejected order goes, and its event with it,
    // so the event is never published. (Two concurrent orders can both pass; a real credit check
    // would lock the customer's row first.)
    BigDecimal total =
        jdbc.queryForObject(
            "SELECT SUM(amount) FROM orders WHERE customer = ?", BigDecimal.class, customer);
    if (total != null && total.compareTo(CREDIT_LIMIT) > 0) {
      throw new OrderRejectedException(
          "credit limit of "
              + CREDIT_LIMIT
              + " exceeded: "
              + customer
              + "'s orders add up to "
              + total);
    }
    return id;
  }

  @Transactional(readOnly = true)
  public Optional<Order> find(String id) {
    return jdbc
        .query(
            "SELECT id, customer, amount, created_at FROM orders WHERE id = ?",
            (rs, row) ->
                new Order(
                    rs.getString("id"),
                    rs.getString("customer"),
                    rs.getBigDecimal("amount"),
                    rs.getObject("created_at", OffsetDateTime.class)),
            id)
        .stream()
        .findFirst();
  }
}
