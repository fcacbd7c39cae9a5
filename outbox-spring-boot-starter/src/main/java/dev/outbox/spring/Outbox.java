package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxDatabaseException;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.PayloadSerializer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Saves events in the current Spring-managed transaction, on its connection: JDBC, {@code
 * JdbcTemplate}, JPA (Hibernate) and jOOQ on the same {@code DataSource} all share it, so the
 * events commit or roll back with the business change. After the commit the dispatcher is woken, so
 * a lone event does not wait for the poll interval.
 *
 * <pre>{@code
 * @Transactional
 * public void placeOrder(Order order) {
 *   orders.save(order);
 *   outbox.save(outbox.event("OrderPlaced", "Order", order.id(), "orders", order));
 * }
 * }</pre>
 *
 * <p>{@link #event} and {@link #eventBuilder()} write payload objects with the application's JSON
 * mapper (the {@link PayloadSerializer} bean; Spring Boot's Jackson {@code JsonMapper} when there
 * is one), as the rest of the application writes them.
 */
public final class Outbox {

  private final OutboxWriter writer;
  private final DataSource dataSource;
  private final @Nullable Dispatcher dispatcher;
  private final PayloadSerializer serializer;

  /**
   * @param dispatcher woken after each commit that saved events; {@code null} where this
   *     application only saves them
   * @param serializer writes the payload objects of {@link #event} and {@link #eventBuilder()}
   */
  public Outbox(
      OutboxWriter writer,
      DataSource dataSource,
      @Nullable Dispatcher dispatcher,
      PayloadSerializer serializer) {
    this.writer = Objects.requireNonNull(writer, "writer");
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dispatcher = dispatcher;
    this.serializer = Objects.requireNonNull(serializer, "serializer");
  }

  /**
   * A new event with a fresh, time-ordered id, its payload written by the application's JSON
   * mapper: {@code outbox.save(outbox.event("OrderPlaced", "Order", order.id(), "orders", order))}.
   *
   * @throws dev.outbox.InvalidEventException naming the field that is wrong
   */
  public OutboxEvent event(
      String eventType, String aggregateType, String aggregateId, String topic, Object payload) {
    return eventBuilder()
        .eventType(eventType)
        .aggregateType(aggregateType)
        .aggregateId(aggregateId)
        .topic(topic)
        .payload(payload)
        .build();
  }

  /** A builder whose {@code payload(Object)} is written by the application's JSON mapper. */
  public OutboxEvent.Builder eventBuilder() {
    return OutboxEvent.builder(serializer);
  }

  /**
   * Saves one event in the current transaction.
   *
   * @throws IllegalStateException when no Spring-managed transaction is active, or the active one
   *     is not on the outbox's {@code DataSource}
   */
  public void save(OutboxEvent event) {
    saveAll(List.of(Objects.requireNonNull(event, "event")));
  }

  /**
   * Saves events in the current transaction, all or none.
   *
   * @throws IllegalStateException when no Spring-managed transaction is active, or the active one
   *     is not on the outbox's {@code DataSource}
   * @throws dev.outbox.InvalidEventException naming the field, the transaction still usable
   */
  public void saveAll(Collection<OutboxEvent> events) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "Outbox.save needs an active Spring-managed transaction (@Transactional or"
              + " TransactionTemplate), so that the events commit with the business change; none is"
              + " active");
    }
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      // When the active transaction's manager bound no connection of this DataSource (one on a
      // second DataSource, JMS, a JpaTransactionManager whose JpaDialect exposes no JDBC
      // connection), Spring fetches a new one, binds it to the transaction's synchronization, so
      // that it counts as "transactional", and leaves it in auto-commit: the events would commit
      // at once, whatever became of the business change.
      if (!DataSourceUtils.isConnectionTransactional(connection, dataSource)
          || autoCommit(connection)) {
        throw new IllegalStateException(
            "Outbox.save needs the active transaction to be on the outbox's DataSource, so that the"
                + " events commit with the business change; the active one is not (another"
                + " transaction manager, or a JpaTransactionManager whose JpaDialect does not"
                + " expose the JDBC connection?)");
      }
      writer.saveAll(connection, events);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
    wakeDispatcherAfterCommit();
  }

  private static boolean autoCommit(Connection connection) {
    try {
      return connection.getAutoCommit();
    } catch (SQLException e) {
      throw new OutboxDatabaseException("read the connection's auto-commit mode", e);
    }
  }

  private void wakeDispatcherAfterCommit() {
    Dispatcher target = dispatcher;
    if (target == null || TransactionSynchronizationManager.hasResource(this)) {
      return;
    }
    // Once per transaction, however many saves it makes.
    TransactionSynchronizationManager.bindResource(this, true);
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            target.wakeUp();
          }

          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
          }
        });
  }
}
