package dev.outbox.test.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.OutboxEvent;
import dev.outbox.OutboxTables;
import dev.outbox.internal.ClaimedEvent;
import dev.outbox.internal.EventClaimer;
import dev.outbox.internal.MaintenanceStore;
import dev.outbox.internal.Transactions;
import dev.outbox.spi.EventRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several dispatchers on one table: no double publishing, and per-aggregate order kept. */
public abstract class ConcurrencyContract extends ContractSupport {

  @Test
  void twoDispatchersPublishEachEventOnceAndKeepAggregateOrder() {
    Random random = new Random(42);
    publisher.behave(
        e ->
            CompletableFuture.runAsync(
                () -> {},
                CompletableFuture.delayedExecutor(random.nextInt(3), TimeUnit.MILLISECONDS)));
    startDispatcher(b -> b.instanceId("first").batchSize(15));
    startDispatcher(b -> b.instanceId("second").batchSize(15));

    Map<String, List<String>> written = new HashMap<>();
    for (int tx = 0; tx < 60; tx++) {
      List<OutboxEvent> events = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String aggregate = "agg-" + random.nextInt(12);
        String id = "e-" + tx + "-" + i;
        events.add(event(id, aggregate));
        written.computeIfAbsent(aggregate, k -> new ArrayList<>()).add(id);
      }
      commit(events.toArray(OutboxEvent[]::new));
    }

    eventually().atMost(Duration.ofSeconds(60)).until(() -> publisher.delivered().size() >= 300);
    assertThat(publisher.attempts()).hasSize(300);
    Map<String, List<String>> published = new HashMap<>();
    for (EventRecord record : publisher.delivered()) {
      published.computeIfAbsent(record.aggregateId(), k -> new ArrayList<>()).add(record.eventId());
    }
    assertThat(published).isEqualTo(written);
    // Delivery is acknowledged before the outcome is recorded; wait for the record.
    eventually()
        .until(() -> count("SELECT COUNT(*) FROM outbox_events WHERE status = 'sent'") == 300);
  }

  @Test
  void aLockedHeadHidesTheRestOfItsAggregateFromOtherClaims() {
    commit(event("a1", "A"), event("a2", "A"), event("b1", "B"));
    inTransaction(
        holder -> {
          try (PreparedStatement ps =
              holder.prepareStatement(
                  "SELECT id FROM "
                      + OutboxTables.DEFAULT_EVENTS_TABLE
                      + " WHERE event_id = 'a1' FOR UPDATE")) {
            try (ResultSet rs = ps.executeQuery()) {
              assertThat(rs.next()).isTrue();
            }
          }
          List<ClaimedEvent> claimed = claim("other:1", 10);
          assertThat(claimed).extracting(e -> e.record().eventId()).containsExactly("b1");
        });
  }

  @Test
  void claimTakesFollowersOfAHeadInOrderAndOnlyUpToTheBatchSize() {
    commit(chain("h", "HOT", 8));
    commit(event("c1", "COLD"));

    List<ClaimedEvent> first = claim("me:1", 5);
    List<ClaimedEvent> second = claim("me:2", 5);

    assertThat(first)
        .extracting(e -> e.record().eventId())
        .containsExactly("h0", "c1", "h1", "h2", "h3");
    assertThat(second).as("the rest of HOT waits behind its claimed head").isEmpty();
  }

  @Test
  void oneLongAggregateLeavesRoomInTheBatchForTheFollowersOfOthers() {
    commit(chain("hot-", "HOT", 120));
    commit(chain("warm-", "WARM", 30));

    List<ClaimedEvent> claimed = claim("me:1", 100);

    Map<String, List<String>> byAggregate = new HashMap<>();
    for (ClaimedEvent e : claimed) {
      byAggregate
          .computeIfAbsent(e.record().aggregateId(), k -> new ArrayList<>())
          .add(e.record().eventId());
    }
    // HOT's older rows would otherwise fill the whole batch and WARM would go one event a claim.
    assertThat(byAggregate.get("HOT")).hasSize(51).startsWith("hot-0", "hot-1").endsWith("hot-50");
    assertThat(byAggregate.get("WARM")).hasSize(30).startsWith("warm-0").endsWith("warm-29");
  }

  @Test
  void theFollowersOfAnOldChainGoBeforeTheHeadsOfLaterWindows() {
    commit(chain("hot-", "HOT", 150));
    commitColdHeads(30);

    // A batch of 10 looks through 120 due rows at a time: the first window holds only HOT.
    List<ClaimedEvent> claimed = claim("me:1", 10);

    assertThat(claimed)
        .extracting(e -> e.record().eventId())
        .as("HOT's older events go before the newer cold heads, not one per batch")
        .containsExactly(
            "hot-0", "hot-1", "hot-2", "hot-3", "hot-4", "hot-5", "hot-6", "hot-7", "hot-8",
            "hot-9");
  }

  @Test
  void aHeadDueLaterThanItsAggregatesYoungerEventsIsFoundBehindThem() {
    // As after a failed head is retried with a backoff while its aggregate's events keep coming.
    clock.advance(Duration.ofSeconds(30));
    commit(event("r0", "R"));
    clock.advance(Duration.ofSeconds(-30));
    List<OutboxEvent> younger = new ArrayList<>();
    for (int i = 1; i <= 150; i++) {
      younger.add(event("r" + i, "R"));
    }
    commit(younger.toArray(OutboxEvent[]::new));
    commitColdHeads(30);
    clock.advance(Duration.ofSeconds(60));

    // A batch of 10 looks through 120 due rows at a time: the first holds r1 to r120, not r0.
    List<ClaimedEvent> claimed = claim("me:1", 10);

    assertThat(claimed)
        .extracting(e -> e.record().eventId())
        .as("R's head and its followers, not a batch of newer heads while R waits")
        .containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
  }

  @Test
  void stuckEventRecoveryDoesNotWaitForARowAnotherTransactionHolds() {
    commit(event("frozen", "F"), event("orphan", "O"));
    leaseAsADeadDispatcher("frozen", 0);
    leaseAsADeadDispatcher("orphan", 0);
    MaintenanceStore maintenance = new MaintenanceStore(new Transactions(dataSource()), dialect());
    Instant afterTheLeases = clock.instant().plus(Duration.ofMinutes(11));

    inTransaction(
        holder -> {
          // A dispatcher frozen in the middle of a transaction that holds the row.
          try (PreparedStatement ps =
              holder.prepareStatement(
                  "SELECT id FROM outbox_events WHERE event_id = 'frozen' FOR UPDATE")) {
            ps.executeQuery().close();
          }
          CompletableFuture<int[]> recovery =
              CompletableFuture.supplyAsync(
                  () -> maintenance.recoverExpiredLeases(afterTheLeases, 5));
          assertThat(recovery)
              .as("the recovery waits for the held row while holding the others it locked")
              .succeedsWithin(Duration.ofSeconds(30))
              .isEqualTo(new int[] {1, 0});
        });

    assertThat(status("orphan")).isEqualTo("retry");
    assertThat(status("frozen")).isEqualTo("processing");
  }

  @Test
  void followersStopAtAnEarlierRowOfTheirAggregateThatIsBeingProcessed() {
    commit(event("x1", "X"), event("x2", "X"), event("x3", "X"));
    // As after a replay put x1 back while another dispatcher still works on x2.
    execute(
        "UPDATE outbox_events SET status = 'processing', next_attempt_at = NULL,"
            + " locked_by = 'other:1' WHERE event_id = 'x2'");

    List<ClaimedEvent> claimed = claim("me:1", 10, false);

    assertThat(claimed).extracting(e -> e.record().eventId()).containsExactly("x1");
  }

  @Test
  void followersStopAtAHeldDeadLetterOfTheirAggregate() {
    commit(event("y1", "Y"), event("y2", "Y"), event("y3", "Y"));
    execute(
        "UPDATE outbox_events SET status = 'failed', next_attempt_at = NULL WHERE event_id = 'y2'");
    assertThat(
            new MaintenanceStore(new Transactions(dataSource()), dialect())
                .moveFailedToDeadLetters(clock.instant(), 10))
        .isEqualTo(1);

    List<ClaimedEvent> claimed = claim("me:1", 10);

    assertThat(claimed).extracting(e -> e.record().eventId()).containsExactly("y1");
  }

  /** One claim by {@code owner} of at most {@code batchSize} events, leased for ten minutes. */
  private List<ClaimedEvent> claim(String owner, int batchSize) {
    return claim(owner, batchSize, true);
  }

  private List<ClaimedEvent> claim(String owner, int batchSize, boolean holdAfterDeadLetter) {
    return heldUntilTheEnd(
        new EventClaimer(new Transactions(dataSource()), dialect(), holdAfterDeadLetter)
            .claim(owner, clock.instant(), clock.instant().plusSeconds(600), batchSize));
  }

  /** Aggregates COLD-0 to COLD-(count - 1) with one event each, cold-0 to cold-(count - 1). */
  private void commitColdHeads(int count) {
    for (int i = 0; i < count; i++) {
      commit(event("cold-" + i, "COLD-" + i));
    }
  }
}
