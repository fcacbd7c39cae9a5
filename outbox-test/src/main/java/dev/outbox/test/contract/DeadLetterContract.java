package dev.outbox.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.outbox.DeadLetter;
import dev.outbox.DeadLetterChange;
import dev.outbox.DeadLetterFilter;
import dev.outbox.DeadLetterPolicy;
import dev.outbox.DeadLetterQuery;
import dev.outbox.DeadLetters;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherBuilder;
import dev.outbox.Operator;
import dev.outbox.OutboxDatabaseException;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxInspector;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.SelectionChangedException;
import dev.outbox.internal.ClaimedEvent;
import dev.outbox.internal.EventClaimer;
import dev.outbox.internal.MaintenanceStore;
import dev.outbox.internal.Transactions;
import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.EventStatus;
import dev.outbox.spi.PublishException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Listing, replaying and purging dead letters, and the policy for the aggregate behind one. */
public abstract class DeadLetterContract extends ContractSupport {

  private final Set<String> failing = ConcurrentHashMap.newKeySet();

  private Dispatcher startFailingSome(DeadLetterPolicy policy) {
    return startFailingSome(b -> b.deadLetterPolicy(policy).batchSize(20));
  }

  private Dispatcher startFailingSome(Consumer<DispatcherBuilder> customizer) {
    publisher.behave(
        e ->
            failing.contains(e.eventId())
                ? CompletableFuture.failedFuture(
                    PublishException.permanent("rejected " + e.eventId(), new RuntimeException()))
                : CompletableFuture.completedFuture(null));
    return startDispatcher(customizer);
  }

  @Test
  void heldAggregateWaitsForTheReplayAndKeepsItsOrder() {
    failing.add("a2");
    commit(event("a1", "A"), event("a2", "A"), event("a3", "A"), event("b1", "B"));
    Dispatcher dispatcher = startFailingSome(DeadLetterPolicy.HOLD_AGGREGATE);

    eventually().until(() -> dispatcher.metrics().deadLetters() == 1);
    commit(event("a4", "A"), event("b2", "B"));
    eventually().until(() -> publisher.deliveredIds().contains("b2"));
    twoMoreClaims(dispatcher);
    assertThat(publisher.deliveredIds()).containsExactlyInAnyOrder("a1", "b1", "b2");
    assertThat(dispatcher.inspector().heldAggregates(10))
        .singleElement()
        .satisfies(
            held -> {
              assertThat(held.aggregateType()).isEqualTo("Thing");
              assertThat(held.aggregateId()).isEqualTo("A");
              assertThat(held.waitingEvents()).isEqualTo(2);
              assertThat(held.oldestWaitingCreatedAt()).isNotNull();
            });
    assertThat(dispatcher.inspector().heldAggregateCount()).isEqualTo(1);
    assertThat(dispatcher.inspector().unsentEvents("Thing", "A", 10))
        .extracting(OutboxInspector.UnsentEvent::eventId, OutboxInspector.UnsentEvent::status)
        .containsExactly(tuple("a3", EventStatus.PENDING), tuple("a4", EventStatus.PENDING));

    failing.clear();
    assertThat(dispatcher.deadLetters().replay("a2")).isTrue();

    eventually().until(() -> publisher.deliveredIds().size() == 6);
    assertThat(publisher.deliveredIds().subList(3, 6)).containsExactly("a2", "a3", "a4");
    assertThat(dispatcher.deadLetters().list(DeadLetterQuery.all())).isEmpty();
    assertThat(dispatcher.inspector().heldAggregates(10)).isEmpty();
    assertThat(dispatcher.inspector().heldAggregateCount()).isZero();
  }

  @Test
  void continuingAggregatePublishesPastTheDeadLetter() {
    failing.add("a2");
    commit(event("a1", "A"), event("a2", "A"), event("a3", "A"));
    Dispatcher dispatcher = startFailingSome(DeadLetterPolicy.CONTINUE);

    eventually().until(() -> publisher.deliveredIds().equals(List.of("a1", "a3")));
    eventually().until(() -> dispatcher.metrics().deadLetters() == 1);
  }

  @Test
  void purgingTheDeadLetterReleasesAHeldAggregate() {
    failing.add("a1");
    commit(event("a1", "A"), event("a2", "A"));
    Dispatcher dispatcher = startFailingSome(DeadLetterPolicy.HOLD_AGGREGATE);
    eventually().until(() -> dispatcher.metrics().deadLetters() == 1);

    assertThat(dispatcher.deadLetters().purge("a1")).isTrue();
    assertThat(dispatcher.deadLetters().purge("a1")).isFalse();

    eventually().until(() -> publisher.deliveredIds().equals(List.of("a2")));
  }

  @Test
  void listFiltersByIdTypeAggregateErrorAndTimeAndPages() {
    for (int i = 0; i < 5; i++) {
      failing.add("x" + i);
    }
    commit(event("x0", "A"), event("x1", "B"), event("x2", "B"));
    Dispatcher dispatcher = startFailingSome(DeadLetterPolicy.CONTINUE);
    eventually().until(() -> dispatcher.metrics().deadLetters() == 3);
    Instant firstBatchAt = clock.instant();
    clock.advance(Duration.ofHours(1));
    commit(OutboxEvent.of("x3", "Other", "Thing", "C", "thing-events", Map.of()), event("x4", "C"));
    eventually().until(() -> dispatcher.metrics().deadLetters() == 5);
    DeadLetters deadLetters = dispatcher.deadLetters();

    List<DeadLetter> all = deadLetters.list(DeadLetterQuery.all());
    assertThat(all)
        .extracting(DeadLetter::eventId)
        .containsExactlyInAnyOrder("x0", "x1", "x2", "x3", "x4");
    DeadLetter x0 = all.stream().filter(d -> d.eventId().equals("x0")).findFirst().orElseThrow();
    assertThat(x0.lastError()).contains("rejected x0");
    assertThat(x0.attempts()).isEqualTo(1);
    assertThat(x0.deadLetteredAt()).isEqualTo(firstBatchAt);
    assertThat(x0.payload())
        .isEqualTo(
            publisher.attempts().stream()
                .filter(a -> a.eventId().equals("x0"))
                .findFirst()
                .orElseThrow()
                .payload());
    assertThat(x0.aggregateId()).isEqualTo("A");

    assertThat(deadLetters.list(DeadLetterQuery.builder().aggregate("Thing", "B").build()))
        .extracting(DeadLetter::eventId)
        .containsExactlyInAnyOrder("x1", "x2");
    // A count is the total of every page, whatever the page's size.
    assertThat(
            deadLetters.count(DeadLetterQuery.builder().aggregate("Thing", "B").limit(1).build()))
        .isEqualTo(2);
    assertThat(deadLetters.count(DeadLetterQuery.all())).isEqualTo(5);
    assertThat(deadLetters.count(DeadLetterQuery.builder().errorContains("REJECTED X1").build()))
        .isEqualTo(1);
    assertThat(deadLetters.list(DeadLetterQuery.builder().eventType("Other").build()))
        .extracting(DeadLetter::eventId)
        .containsExactly("x3");
    assertThat(deadLetters.list(DeadLetterQuery.builder().eventId("x4").build()))
        .extracting(DeadLetter::eventId)
        .containsExactly("x4");
    assertThat(deadLetters.list(DeadLetterQuery.builder().errorContains("REJECTED X1").build()))
        .extracting(DeadLetter::eventId)
        .containsExactly("x1");
    // LIKE's wildcards are the characters themselves: no error holds "x_" or "x%"
    assertThat(deadLetters.list(DeadLetterQuery.builder().errorContains("x_").build())).isEmpty();
    assertThat(deadLetters.list(DeadLetterQuery.builder().errorContains("x%").build())).isEmpty();
    assertThat(
            deadLetters.list(
                DeadLetterQuery.builder()
                    .deadLetteredBetween(firstBatchAt.plusSeconds(1), null)
                    .build()))
        .extracting(DeadLetter::eventId)
        .containsExactlyInAnyOrder("x3", "x4");

    List<DeadLetter> page1 = deadLetters.list(DeadLetterQuery.builder().limit(2).build());
    List<DeadLetter> page2 =
        deadLetters.list(DeadLetterQuery.builder().limit(2).build().after(page1.get(1).id()));
    assertThat(page1).hasSize(2);
    assertThat(page2).hasSize(2);
    assertThat(page2.get(0).id()).isGreaterThan(page1.get(1).id());

    assertThat(deadLetters.purge(DeadLetterQuery.builder().aggregate("Thing", "B").build()))
        .isEqualTo(2);
    failing.clear();
    assertThat(deadLetters.replay(DeadLetterQuery.builder().limit(1).build())).isEqualTo(3);
    eventually().until(() -> publisher.deliveredIds().size() == 3);
    assertThat(publisher.deliveredIds()).containsExactlyInAnyOrder("x0", "x3", "x4");
  }

  @Test
  void aBulkChangeActsOnWhatWasConfirmedAndPassesWhatIsGoneOrRefused() {
    failing.addAll(Set.of("z1", "z2", "z3", "z4"));
    commit(event("z1", "A"), event("z2", "B"), event("z3", "C"), event("z4", "D"));
    Dispatcher dispatcher = startFailingSome(DeadLetterPolicy.CONTINUE);
    eventually().until(() -> dispatcher.metrics().deadLetters() == 4);
    // Stopped, so that the event written again below stays in the outbox.
    dispatcher.close();
    DeadLetters deadLetters = deadLetters();

    assertThatThrownBy(
            () -> deadLetters.select(DeadLetterChange.Action.PURGE, DeadLetterFilter.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forBulk");
    DeadLetterChange change =
        deadLetters.select(
            DeadLetterChange.Action.REPLAY, DeadLetterFilter.builder().error("REJECTED").build());
    assertThat(change.eventIds()).containsExactlyInAnyOrder("z1", "z2", "z3", "z4");
    assertThat(change.describe()).isEqualTo("replay 4 dead letter(s) matching error=REJECTED");
    assertThatThrownBy(() -> change.confirmed(3))
        .isInstanceOf(SelectionChangedException.class)
        .hasMessage(
            "4 dead letter(s) match now, not the 3 confirmed; nothing was done: look again and"
                + " confirm anew");
    assertThat(deadLetters.count(DeadLetterQuery.all())).isEqualTo(4);

    assertThat(deadLetters.purge("z2")).isTrue();
    commit(event("z3", "C"));
    List<String> told = new ArrayList<>();
    DeadLetterChange.Result result =
        change
            .confirmed(4)
            .run(
                Operator.APPLICATION,
                (eventId, outcome, problem) -> told.add(eventId + " " + outcome));

    assertThat(told).containsExactlyInAnyOrder("z1 DONE", "z2 GONE", "z3 REFUSED", "z4 DONE");
    assertThat(result.failure()).isNull();
    assertThat(result.describe())
        .isEqualTo(
            "replayed 2 of 4 dead letter(s) matching error=REJECTED: 1 already gone, 1 refused"
                + " (their event ids are in the outbox again)");
    assertThat(deadLetters.list(DeadLetterQuery.all()))
        .extracting(DeadLetter::eventId)
        .containsExactly("z3");
    assertThat(status("z1")).isEqualTo("pending");
  }

  @Test
  void aBulkChangeStopsAtADatabaseFailureAndSaysHowFarItWent() {
    failing.addAll(Set.of("w1", "w2", "w3"));
    commit(event("w1", "A"), event("w2", "B"), event("w3", "C"));
    Dispatcher dispatcher = startFailingSome(DeadLetterPolicy.CONTINUE);
    eventually().until(() -> dispatcher.metrics().deadLetters() == 3);
    dispatcher.close();
    DeadLetterChange change =
        deadLetters().select(DeadLetterChange.Action.PURGE, List.of("w1", "w2", "w3"));
    String away = OutboxTables.DEFAULT_DEAD_LETTERS_TABLE + "_away";
    try {
      DeadLetterChange.Result result =
          change.run(
              Operator.APPLICATION,
              (eventId, outcome, problem) ->
                  // The database loses the table after the first: the rest would fail alike.
                  execute(
                      "ALTER TABLE "
                          + OutboxTables.DEFAULT_DEAD_LETTERS_TABLE
                          + " RENAME TO "
                          + away));

      assertThat(result.done()).isEqualTo(1);
      assertThat(result.failure()).isInstanceOf(OutboxDatabaseException.class);
      assertThat(result.describe())
          .startsWith(
              "purged 1 of 3 dead letter(s) with event ids w1, w2, w3: stopped by a failure: ");
    } finally {
      execute("ALTER TABLE " + away + " RENAME TO " + OutboxTables.DEFAULT_DEAD_LETTERS_TABLE);
    }
    assertThat(deadLetters().count(DeadLetterQuery.all())).isEqualTo(2);
  }

  @Test
  void replayKeepsTheEventIdAndPayloadAndStartsAttemptsAfresh() {
    failing.add("again");
    commit(event("again", "A"));
    Dispatcher dispatcher = startFailingSome(DeadLetterPolicy.HOLD_AGGREGATE);
    eventually().until(() -> dispatcher.metrics().deadLetters() == 1);
    String payload = publisher.attempts().get(0).payload();

    failing.clear();
    dispatcher.deadLetters().replay("again");

    eventually().until(() -> publisher.deliveredIds().equals(List.of("again")));
    assertThat(publisher.delivered().get(0).payload()).isEqualTo(payload);
    assertThat(publisher.delivered().get(0).attempt()).isEqualTo(1);
    assertThat(dispatcher.deadLetters().replay("again")).isFalse();
  }

  /**
   * Regression: after replays the console's latency p99 read 341916 ms, as a replayed event was
   * timed from the commit that first wrote it. Both were written three hours ago by the clock of a
   * writer; the replay is made as the command line makes it, by a process of its own, and every
   * other time is the database's.
   */
  @Test
  void aReplayedEventsLatencyCountsFromTheReplayNotFromItsFirstCommit() {
    Instant writtenAt = Instant.ofEpochMilli(System.currentTimeMillis()).minus(Duration.ofHours(3));
    OutboxWriter pastWriter = writerBuilder().clock(Clock.fixed(writtenAt, ZoneOffset.UTC)).build();
    inTransaction(
        c -> {
          pastWriter.saveAll(c, List.of(event("replayed", "A"), event("fresh", "B")));
          c.commit();
        });
    failing.add("replayed");
    Map<String, Duration> latencies = new ConcurrentHashMap<>();
    Dispatcher dispatcher =
        startFailingSome(
            b ->
                b.databaseTime(true)
                    .listener(
                        new DispatcherListener() {
                          @Override
                          public void published(EventRecord event, Duration latency) {
                            latencies.put(event.eventId(), latency);
                          }
                        }));
    eventually().until(() -> dispatcher.metrics().deadLetters() == 1);

    failing.clear();
    // Stopped, so the replayed event waits and its age can be read.
    dispatcher.stop();
    assertThat(deadLetters().replay("replayed")).isTrue();
    assertThat(dispatcher.metrics().oldestWaitingAge())
        .as("a replayed event waits since its replay")
        .isBetween(Duration.ZERO, Duration.ofMinutes(1));
    dispatcher.start();

    eventually().until(() -> latencies.containsKey("replayed"));
    assertThat(latencies.get("fresh"))
        .as("an event published the first time counts from its commit")
        .isGreaterThanOrEqualTo(Duration.ofHours(3));
    assertThat(latencies.get("replayed"))
        .as("a replayed event counts from its replay")
        .isBetween(Duration.ZERO, Duration.ofMinutes(1));
    assertThat(publisher.delivered())
        .filteredOn(e -> e.eventId().equals("replayed"))
        .singleElement()
        .satisfies(e -> assertThat(e.createdAt()).as("still written then").isEqualTo(writtenAt));
  }

  @Test
  void aClaimParksTheEventsHeldBehindADeadLetterAndAPurgeBringsThemBack() {
    commit(event("y0", "Y"));
    List<OutboxEvent> held = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      held.add(event("y" + i, "Y"));
    }
    commit(held.toArray(OutboxEvent[]::new));
    commit(event("c1", "C1"), event("c2", "C2"), event("c3", "C3"));
    execute(
        "UPDATE outbox_events SET status = 'failed', next_attempt_at = NULL WHERE event_id = 'y0'");
    Transactions tx = new Transactions(dataSource());
    assertThat(new MaintenanceStore(tx, dialect()).moveFailedToDeadLetters(clock.instant(), 10))
        .isEqualTo(1);
    EventClaimer store = new EventClaimer(tx, dialect(), true);

    // Y's 500 held events fill the first window this small batch looks through.
    List<ClaimedEvent> first =
        heldUntilTheEnd(store.claim("me:1", clock.instant(), clock.instant().plusSeconds(600), 2));

    assertThat(first).extracting(e -> e.record().eventId()).containsExactly("c1", "c2");
    assertThat(
            count(
                "SELECT COUNT(*) FROM outbox_events WHERE aggregate_id = 'Y'"
                    + " AND next_attempt_at > created_at"))
        .as("held events made due later, out of the next claims' windows")
        .isEqualTo(500);

    assertThat(deadLetters().purge("y0")).isTrue();
    clock.advance(Duration.ofSeconds(5));
    List<ClaimedEvent> second =
        heldUntilTheEnd(store.claim("me:2", clock.instant(), clock.instant().plusSeconds(600), 2));

    assertThat(second)
        .as("y1 is due again at once, not a minute later")
        .extracting(e -> e.record().eventId())
        .containsExactlyInAnyOrder("c3", "y1");
  }
}
