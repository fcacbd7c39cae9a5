package dev.outbox.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbox.DuplicateEventException;
import dev.outbox.InvalidEventException;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.EventRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Saving events in the caller's transaction, on the database under test. */
public abstract class WriterContract extends ContractSupport {

  @Test
  void committedEventIsPublishedWithEveryFieldAsWritten() {
    String payload = "{ \"name\" : \"Zoë\", \"n\": 1.50, \"nested\": {\"a\": [1, 2]} }";
    OutboxEvent event =
        OutboxEvent.builder()
            .eventId("evt-1")
            .eventType("UserCreated")
            .aggregateType("User")
            .aggregateId("user-1")
            .topic("user-events")
            .payloadJson(payload)
            .trace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")
            .header("tenant", "acme")
            .build();
    commit(event);
    startDispatcher();

    eventually().until(() -> publisher.delivered().size() == 1);
    EventRecord record = publisher.delivered().get(0);
    assertThat(record.eventId()).isEqualTo("evt-1");
    assertThat(record.eventType()).isEqualTo("UserCreated");
    assertThat(record.aggregateType()).isEqualTo("User");
    assertThat(record.aggregateId()).isEqualTo("user-1");
    assertThat(record.topic()).isEqualTo("user-events");
    assertThat(record.payload()).isEqualTo(payload);
    assertThat(record.traceparent())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(record.headers()).isEqualTo(Map.of("tenant", "acme"));
    assertThat(record.createdAt()).isEqualTo(clock.instant());
    assertThat(record.attempt()).isEqualTo(1);
    eventually().until(() -> status("evt-1").equals("sent"));
  }

  @Test
  void beforeSaveAddsToEveryEventAndAnEventItLosesIsRefusedNamingIt() {
    OutboxWriter stamping =
        writerBuilder().beforeSave(e -> e.toBuilder().header("tenant", "acme").build()).build();
    OutboxWriter losing = writerBuilder().beforeSave(e -> nullEvent()).build();
    inTransaction(
        c -> {
          stamping.saveAll(c, List.of(event("stamped-1", "a"), event("stamped-2", "b")));
          assertThatThrownBy(() -> losing.save(c, event("lost", "c")))
              .isInstanceOf(InvalidEventException.class)
              .hasMessageContaining("events[0]")
              .hasMessageContaining("beforeSave");
          c.commit();
        });
    startDispatcher();

    eventually().until(() -> publisher.delivered().size() == 2);
    assertThat(publisher.delivered()).allMatch(r -> r.headers().equals(Map.of("tenant", "acme")));
    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE event_id = 'lost'")).isZero();
  }

  @SuppressWarnings("NullAway") // a misbehaving beforeSave, as a user could write one
  private static OutboxEvent nullEvent() {
    return null;
  }

  @Test
  void rolledBackEventIsNeverPublished() {
    startDispatcher();
    inTransaction(
        c -> {
          insertBusinessRow(c, "rolled-back");
          writer.save(c, event("rolled-back", "a-1"));
          c.rollback();
        });
    commit(event("committed", "a-1"));

    eventually().until(() -> publisher.deliveredIds().contains("committed"));
    assertThat(publisher.attempts()).extracting(EventRecord::eventId).containsExactly("committed");
    assertThat(status("rolled-back")).isEqualTo("absent");
  }

  @Test
  void duplicateIdIsRefusedAndTheTransactionStaysUsable() {
    commit(event("dup", "a-1"));

    inTransaction(
        c -> {
          insertBusinessRow(c, "before");
          assertThatThrownBy(() -> writer.save(c, event("dup", "a-2")))
              .isInstanceOf(DuplicateEventException.class)
              .hasMessageContaining("eventId")
              .hasMessageContaining("dup");
          writer.save(c, event("after-duplicate", "a-2"));
          c.commit();
        });

    assertThat(count("SELECT COUNT(*) FROM business_rows WHERE id = 'row-before'")).isEqualTo(1);
    assertThat(status("after-duplicate")).isEqualTo("pending");
    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE event_id = 'dup'")).isEqualTo(1);
  }

  @Test
  void duplicateCommittedAfterTheCallersSnapshotIsStillRefused() {
    inTransaction(
        c -> {
          // At the database's default isolation (repeatable read on MySQL and MariaDB) this read
          // fixes the caller's snapshot before the other transaction commits the same id.
          count("SELECT COUNT(*) FROM business_rows");
          try (var ps = c.prepareStatement("SELECT COUNT(*) FROM outbox_events");
              var rs = ps.executeQuery()) {
            rs.next();
          }
          commit(event("late", "other"));

          assertThatThrownBy(
                  () -> writer.saveAll(c, List.of(event("mine-1", "a"), event("late", "a"))))
              .isInstanceOfSatisfying(
                  DuplicateEventException.class,
                  e -> assertThat(e.eventIds()).containsExactly("late"));
          c.commit();
        });
    assertThat(status("mine-1")).isEqualTo("absent");
  }

  @Test
  void batchWithADuplicateWritesNothingEvenAcrossStatements() {
    commit(event("existing", "a-1"));
    List<OutboxEvent> batch = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      batch.add(event("batch-" + i, "a-" + (i % 7)));
    }
    batch.add(event("existing", "a-9"));

    inTransaction(
        c -> {
          assertThatThrownBy(() -> writer.saveAll(c, batch))
              .isInstanceOf(DuplicateEventException.class)
              .satisfies(
                  e ->
                      assertThat(((DuplicateEventException) e).eventIds())
                          .containsExactly("existing"));
          writer.save(c, event("still-usable", "a-1"));
          c.commit();
        });

    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE event_id LIKE 'batch-%'")).isZero();
    assertThat(status("still-usable")).isEqualTo("pending");
  }

  @Test
  void repeatedIdWithinOneBatchIsRefusedBeforeAnyWrite() {
    inTransaction(
        c -> {
          assertThatThrownBy(
                  () -> writer.saveAll(c, List.of(event("twice", "a"), event("twice", "b"))))
              .isInstanceOf(DuplicateEventException.class);
          c.commit();
        });
    assertThat(count("SELECT COUNT(*) FROM outbox_events")).isZero();
  }

  @Test
  void oversizePayloadIsRefusedNamingTheFieldAndTheTransactionStaysUsable() {
    OutboxWriter small = writerBuilder().maxPayloadBytes(64).build();
    OutboxEvent big =
        OutboxEvent.of("big", "T", "A", "1", "topic", Map.of("text", "x".repeat(100)));

    inTransaction(
        c -> {
          insertBusinessRow(c, "kept");
          assertThatThrownBy(() -> small.save(c, big))
              .isInstanceOf(InvalidEventException.class)
              .hasMessageContaining("payload")
              .hasMessageContaining("at most 64");
          small.save(c, event("fits", "1"));
          c.commit();
        });
    assertThat(status("fits")).isEqualTo("pending");
    assertThat(status("big")).isEqualTo("absent");
  }

  @Test
  void batchInAutoCommitModeIsAtomic() {
    commit(event("taken", "a"));
    try (Connection c = dataSource().getConnection()) {
      c.setAutoCommit(true);
      assertThatThrownBy(
              () -> writer.saveAll(c, List.of(event("fresh-1", "a"), event("taken", "b"))))
          .isInstanceOf(DuplicateEventException.class);
      assertThat(c.getAutoCommit()).isTrue();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    assertThat(status("fresh-1")).isEqualTo("absent");
  }

  @Test
  void schemaCreationIsIdempotentAndCustomTableNamesWork() throws Exception {
    OutboxTables custom = OutboxTables.of("custom_events", "custom_dead");
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS custom_events");
      s.execute("DROP TABLE IF EXISTS custom_dead");
      createSchema(c, custom);
      createSchema(c, custom);
      createSchema(c, OutboxTables.defaults());
    }
    OutboxWriter customWriter = writerBuilder().tables(custom).build();
    inTransaction(
        c -> {
          customWriter.save(c, event("in-custom", "a"));
          c.commit();
        });
    startDispatcher(b -> b.tables(custom));

    eventually().until(() -> publisher.deliveredIds().contains("in-custom"));
    // Acknowledged first, recorded just after.
    eventually()
        .until(() -> count("SELECT COUNT(*) FROM custom_events WHERE status = 'sent'") == 1);
    assertThat(count("SELECT COUNT(*) FROM outbox_events")).isZero();
  }

  @Test
  void tablesWithTheLongestAllowedNamesGetDistinctIndexNames() throws Exception {
    String events = "e".repeat(OutboxTables.MAX_EVENTS_TABLE_LENGTH);
    String dead = "d".repeat(OutboxTables.MAX_DEAD_LETTERS_TABLE_LENGTH);
    OutboxTables longest = OutboxTables.of(events, dead);
    try (Connection c = dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + events);
      s.execute("DROP TABLE IF EXISTS " + dead);
      try {
        // Twice: a truncated, colliding index name shows as "already exists" on the second run.
        createSchema(c, longest);
        createSchema(c, longest);
        writerBuilder().tables(longest).build().save(c, event("in-longest", "a"));
        assertThat(count("SELECT COUNT(*) FROM " + events)).isEqualTo(1);
      } finally {
        s.execute("DROP TABLE IF EXISTS " + events);
        s.execute("DROP TABLE IF EXISTS " + dead);
      }
    }
  }
}
