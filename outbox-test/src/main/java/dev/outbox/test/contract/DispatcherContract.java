package dev.outbox.test.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outbox.Backoff;
import dev.outbox.DeadLetterQuery;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherMetrics;
import dev.outbox.MissingTablesException;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.BrokerAvailability;
import dev.outbox.spi.DispatcherListener;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.ForwardingPublisher;
import dev.outbox.spi.Publication;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.PublishTimeLimit;
import dev.outbox.spi.Publisher;
import dev.outbox.test.FlakyDataSource;
import dev.outbox.test.RecordingPublisher;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Retries, dead letters, stuck leases, cleanup, shutdown and metrics on the database under test.
 */
public abstract class DispatcherContract extends ContractSupport {

  private static CompletionStage<Void> retriableFailure() {
    return CompletableFuture.failedFuture(
        PublishException.retriable("broker said no", new RuntimeException("timeout")));
  }

  @Test
  void anEventCommittedShortlyAfterOthersDoesNotWaitForThePollInterval() {
    FlakyDataSource counting = new FlakyDataSource(dataSource());
    counting.countConnectionsOf("outbox-event-processor-");
    commit(event("first", "a"));
    startDispatcher(counting, b -> b.pollInterval(Duration.ofSeconds(30)));
    eventually().until(() -> status("first").equals("sent"));
    int claimsSoFar = counting.countedConnections();

    // Claims that found nothing, each after a short pause, not after the 30-second poll interval.
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> counting.countedConnections() >= claimsSoFar + 2);
    commit(event("second", "b"));

    await()
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> status("second").equals("sent"));
  }

  /**
   * Regression: an error quoting credentials was recorded, and then shown by the actuator endpoint
   * and the command line, as it came. The dispatcher masks it before it records or logs it.
   */
  @Test
  void aFailureIsRecordedWithTheCredentialsItQuotesMasked() {
    publisher.behave(
        e ->
            CompletableFuture.failedFuture(
                PublishException.permanent(
                    "refused by https://bob:Url-Secret-55@broker, password=Pw-Secret-66",
                    new RuntimeException("Authorization: Bearer Tok-Secret-77"))));
    commit(event("secret", "a"));
    Dispatcher dispatcher = startDispatcher();

    eventually().until(() -> dispatcher.metrics().deadLetters() == 1);
    String error = dispatcher.deadLetters().list(DeadLetterQuery.all()).get(0).lastError();
    assertThat(error)
        .contains("https://******@broker", "password=******")
        .doesNotContain("Url-Secret-55", "Pw-Secret-66");
  }

  @Test
  void failedPublishIsRetriedAfterTheBackoffOnTheClock() {
    AtomicInteger calls = new AtomicInteger();
    publisher.behave(
        e ->
            calls.incrementAndGet() == 1
                ? retriableFailure()
                : CompletableFuture.completedFuture(null));
    commit(event("retry-me", "a"));
    Dispatcher dispatcher =
        startDispatcher(
            b -> b.backoff(Backoff.exponential(Duration.ofMinutes(1), Duration.ofMinutes(30))));

    eventually().until(() -> status("retry-me").equals("retry"));
    assertThat(attempts("retry-me")).isEqualTo(1);
    Instant writtenAt = clock.instant();
    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE next_attempt_at IS NOT NULL"))
        .isEqualTo(1);

    clock.advance(Duration.ofSeconds(59));
    twoMoreClaims(dispatcher);
    assertThat(status("retry-me")).isEqualTo("retry");

    clock.advance(Duration.ofSeconds(2));
    eventually().until(() -> status("retry-me").equals("sent"));
    EventRecord delivered = publisher.delivered().get(0);
    assertThat(delivered.attempt()).isEqualTo(2);
    assertThat(delivered.createdAt()).isEqualTo(writtenAt);
  }

  @Test
  void eventBecomesADeadLetterAfterMaxAttempts() {
    publisher.behave(e -> retriableFailure());
    commit(event("doomed", "a"));
    startDispatcher(b -> b.maxAttempts(3).backoff(Backoff.fixed(Duration.ofMinutes(1))));

    for (int attempt = 1; attempt <= 2; attempt++) {
      int expected = attempt;
      eventually().until(() -> attempts("doomed") == expected);
      clock.advance(Duration.ofMinutes(1));
    }
    eventually().until(() -> count("SELECT COUNT(*) FROM outbox_deadletters") == 1);
    assertThat(status("doomed")).isEqualTo("absent");
    assertThat(publisher.attempts()).hasSize(3);
    assertThat(
            count(
                "SELECT attempts FROM outbox_deadletters WHERE event_id = ? AND last_error LIKE ?",
                "doomed",
                "%broker said no%"))
        .isEqualTo(3);
  }

  @Test
  void permanentErrorDeadLettersAtOnce() {
    publisher.behave(
        e ->
            CompletableFuture.failedFuture(
                PublishException.permanent("record too large", new RuntimeException())));
    commit(event("too-big", "a"));
    startDispatcher(b -> b.maxAttempts(5));

    eventually().until(() -> count("SELECT COUNT(*) FROM outbox_deadletters") == 1);
    assertThat(publisher.attempts()).hasSize(1);
    assertThat(count("SELECT attempts FROM outbox_deadletters WHERE event_id = 'too-big'"))
        .isEqualTo(1);
  }

  /**
   * However long the broker is down, its outage is not the events' fault: no attempt is counted,
   * nothing is claimed while the publisher says the broker is unavailable, and the backlog drains,
   * in order, as soon as it is back.
   */
  @Test
  void aBrokerOutageOfAnyLengthCountsNoAttemptAndDrainsOnceTheBrokerIsBack() {
    publisher.brokerAvailability(BrokerAvailability.UNAVAILABLE);
    publisher.behave(e -> retriableFailure());
    for (int i = 0; i < 20; i++) {
      commit(event("outage-" + i, "agg-" + (i % 10)));
    }
    startDispatcher(
        b -> b.batchSize(5).maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(1))));

    eventually().until(() -> publisher.availabilityChecks() >= 2);
    int attempted = publisher.attempts().size();
    eventually().until(() -> publisher.availabilityChecks() >= 5);
    assertThat(publisher.attempts())
        .as("nothing claimed while the broker is down")
        .hasSize(attempted);
    assertThat(count("SELECT SUM(attempts) FROM outbox_events")).isZero();
    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE status IN ('pending', 'retry')"))
        .isEqualTo(20);

    publisher.behave(e -> CompletableFuture.completedFuture(null));
    publisher.brokerAvailability(BrokerAvailability.AVAILABLE);
    publisher.awaitDelivered(20, Duration.ofSeconds(30));
    assertThat(publisher.delivered()).allMatch(e -> e.attempt() == 1, "first counted attempt");
    assertThat(
            publisher.deliveredIds().stream()
                .filter(id -> id.equals("outage-3") || id.equals("outage-13")))
        .containsExactly("outage-3", "outage-13");
    assertThat(count("SELECT COUNT(*) FROM outbox_deadletters")).isZero();
  }

  /**
   * A batch that an outage cuts in two: what was acknowledged is sent, what failed goes back
   * uncounted and due at once, not into a backoff that would hold its aggregate after the broker is
   * back, and the rest of the batch is not sent to a broker that is down.
   */
  @Test
  void aBatchCaughtByTheStartOfAnOutageGivesItsFailuresBackWithoutABackoff() {
    publisher.behave(
        e ->
            e.aggregateId().equals("a")
                ? CompletableFuture.completedFuture(null)
                : retriableFailure());
    publisher.brokerAvailability(BrokerAvailability.UNAVAILABLE);
    commit(event("acknowledged", "a"), event("caught", "b"), event("not-sent", "a"));
    startDispatcher(b -> b.backoff(Backoff.fixed(Duration.ofHours(1))));

    eventually()
        .until(() -> status("acknowledged").equals("sent") && publisher.availabilityChecks() >= 2);
    eventually().until(() -> !status("caught").equals("processing"));
    assertThat(attempts("caught")).isZero();
    assertThat(publisher.attempts())
        .extracting(EventRecord::eventId)
        .containsExactlyInAnyOrder("acknowledged", "caught");

    publisher.behave(e -> CompletableFuture.completedFuture(null));
    publisher.brokerAvailability(BrokerAvailability.AVAILABLE);
    eventually().until(() -> status("caught").equals("sent") && status("not-sent").equals("sent"));
    assertThat(publisher.deliveredIds()).containsSubsequence("acknowledged", "not-sent");
  }

  /**
   * The batch claimed while another was being published goes back unpublished and uncounted when
   * that publish finds the broker down, and goes out once the broker is back.
   */
  @Test
  void aBatchClaimedWhileTheBrokerWentDownIsGivenBackUnpublished() {
    CompletableFuture<Void> first = new CompletableFuture<>();
    AtomicInteger firstAttempts = new AtomicInteger();
    publisher.behave(
        e ->
            e.eventId().equals("first") && firstAttempts.getAndIncrement() == 0
                ? first
                : CompletableFuture.completedFuture(null));
    commit(event("first", "a"));
    commit(event("second", "b"));
    startDispatcher(b -> b.batchSize(1).backoff(Backoff.fixed(Duration.ofHours(1))));
    eventually().until(() -> publisher.attempts().size() == 1);
    eventually().alias("the next batch claimed meanwhile").until(() -> held() == 2);

    publisher.brokerAvailability(BrokerAvailability.UNAVAILABLE);
    first.completeExceptionally(
        PublishException.retriable("broker gone", new IllegalStateException()));

    eventually().until(() -> held() == 0 && publisher.availabilityChecks() >= 2);
    assertThat(publisher.attempts()).extracting(EventRecord::eventId).containsExactly("first");
    assertThat(attempts("first") + attempts("second")).isZero();
    publisher.brokerAvailability(BrokerAvailability.AVAILABLE);
    eventually().until(() -> status("first").equals("sent") && status("second").equals("sent"));
  }

  /**
   * A publisher that cannot ask its broker leaves the judgement to the outcomes: a batch in which
   * every publish failed counts one attempt, on its oldest event, not one on each.
   */
  @Test
  void aPublisherThatCannotTellItsBrokersStateCountsOneAttemptPerFailedBatch() {
    publisher.brokerAvailability(BrokerAvailability.UNKNOWN);
    publisher.behave(e -> retriableFailure());
    for (int i = 0; i < 5; i++) {
      commit(event("outage-" + i, "agg-" + i));
    }
    startDispatcher(b -> b.batchSize(5).maxAttempts(3));

    eventually().until(() -> publisher.attempts().size() >= 5);
    eventually()
        .until(() -> count("SELECT COUNT(*) FROM outbox_events WHERE status = 'retry'") == 1);
    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE status = 'pending'")).isEqualTo(4);
    assertThat(count("SELECT SUM(attempts) FROM outbox_events")).isEqualTo(1);
  }

  /**
   * A publish still unanswered when no round may start any more (its send queued behind a broker
   * that is down) is withdrawn from the publisher, and goes back without an attempt counted instead
   * of waiting for its lease to expire and counting one.
   */
  @Test
  void aSendStillQueuedAtTheDeadlineIsWithdrawnWithoutCountingAnAttempt() {
    List<CompletableFuture<Void>> queued = new CopyOnWriteArrayList<>();
    publisher.behave(
        e -> {
          CompletableFuture<Void> send = new CompletableFuture<>();
          queued.add(send);
          return send;
        });
    commit(event("queued", "a"));
    Dispatcher dispatcher =
        startDispatcher(
            b -> b.stuckTimeout(Duration.ofSeconds(2)).stuckCheckInterval(Duration.ofMillis(200)));

    eventually().until(() -> queued.size() >= 2);
    assertThat(queued.get(0).isCancelled()).as("withdrawn at the deadline").isTrue();
    assertThat(attempts("queued")).isZero();
    assertThat(dispatcher.metrics().recoveredStuck()).isZero();

    publisher.behave(e -> CompletableFuture.completedFuture(null));
    publisher.awaitDelivered(1, Duration.ofSeconds(20));
    assertThat(publisher.delivered().get(0).attempt()).isEqualTo(1);
  }

  /**
   * Regression: the Spring lifecycle's stop closed the dispatcher, so a context stopped and started
   * again threw "Dispatcher can be started once".
   */
  @Test
  void aStoppedDispatcherStartsAgainAndPublishesWhatWasCommittedMeanwhile() {
    commit(event("before", "A"));
    Dispatcher dispatcher = startDispatcher();
    eventually().until(() -> publisher.deliveredIds().equals(List.of("before")));

    dispatcher.stop();
    assertThat(dispatcher.isRunning()).isFalse();
    assertThat(publisher.isClosed()).isFalse();
    commit(event("meanwhile", "A"));
    // Stopped, it reads the tables still: the event waits.
    assertThat(dispatcher.metrics().pending()).isEqualTo(1);
    assertThat(publisher.deliveredIds()).containsExactly("before");

    dispatcher.start();
    assertThat(dispatcher.isRunning()).isTrue();
    eventually().until(() -> publisher.deliveredIds().equals(List.of("before", "meanwhile")));

    dispatcher.close();
    assertThat(publisher.isClosed()).isTrue();
    assertThatThrownBy(dispatcher::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Dispatcher cannot start: it is CLOSED");
  }

  /**
   * Regression: an application started without the outbox tables reported itself healthy, and then
   * every save and claim failed with "relation outbox_events does not exist", with no hint.
   */
  @Test
  void aDispatcherWithoutItsTablesFailsToStartSayingHowToCreateThem() {
    inTransaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + OutboxTables.DEFAULT_EVENTS_TABLE);
          }
          c.commit();
        });

    assertThatThrownBy(() -> startDispatcher())
        .isInstanceOf(MissingTablesException.class)
        .hasMessageContaining("outbox_events")
        .hasMessageContaining("createSchema(true)")
        .hasMessageContaining("outbox schema apply");
  }

  /**
   * Tables made before replays were stamped (Flyway V1) lack {@code replayed_at}: without the
   * schema created the start fails naming the column, as claims would fail later; with it the
   * column is added, and what was written meanwhile is published.
   */
  @Test
  void tablesWithoutTheReplayColumnFailTheStartUnlessTheSchemaIsCreatedWhichAddsIt() {
    execute("ALTER TABLE " + OutboxTables.DEFAULT_EVENTS_TABLE + " DROP COLUMN replayed_at");

    assertThatThrownBy(() -> startDispatcher())
        .isInstanceOf(MissingTablesException.class)
        .hasMessageContaining("outbox_events has no column replayed_at")
        .hasMessageContaining("createSchema(true)")
        .hasMessageContaining("outbox schema apply");

    commit(event("before-upgrade", "a"));
    startDispatcher(b -> b.createSchema(true));

    eventually().until(() -> publisher.deliveredIds().contains("before-upgrade"));
    assertThat(count("SELECT COUNT(replayed_at) FROM outbox_events")).isZero();
  }

  /** A lease the publisher's own timeouts could outlast would publish events twice; refused. */
  @Test
  void aLeaseShorterThanThePublishersTimeoutsAllowIsRefusedNamingBoth() {
    Publisher slow =
        new Publisher() {
          @Override
          public Publication publish(EventRecord event) {
            return Publication.acknowledged();
          }

          @Override
          public Optional<PublishTimeLimit> publishTimeLimit() {
            return Optional.of(
                new PublishTimeLimit(
                    Duration.ofSeconds(125), "max.block.ms (5000) + delivery.timeout.ms (120000)"));
          }
        };

    assertThatThrownBy(
            () ->
                Dispatcher.builder(dataSource())
                    .publisher(slow)
                    .stuckTimeout(Duration.ofSeconds(10))
                    .stuckCheckInterval(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stuckTimeout (PT10S)")
        .hasMessageContaining("delivery.timeout.ms (120000)");
    Dispatcher.builder(dataSource())
        .publisher(slow)
        .stuckTimeout(Duration.ofSeconds(250))
        .stuckCheckInterval(Duration.ofSeconds(1))
        .build()
        .close();
  }

  /**
   * Regression: at the shortest lease the builder accepts, twice the publisher's longest publish, a
   * round could start only until the claim itself, so every batch was claimed and given back
   * unpublished, without a word, until the lease was raised. The lease here is far longer than the
   * test waits: what is published, is published promptly.
   */
  @Test
  void theShortestLeaseTheBuilderAcceptsStillPublishesEveryEventPromptly() {
    Duration longestPublish = Duration.ofSeconds(30);
    Publisher bounded =
        new ForwardingPublisher(publisher) {
          @Override
          public Optional<PublishTimeLimit> publishTimeLimit() {
            return Optional.of(new PublishTimeLimit(longestPublish, "the test's bound"));
          }
        };
    for (int i = 0; i < 20; i++) {
      commit(event("boundary-" + i, "aggregate-" + (i % 4)));
    }
    Dispatcher dispatcher =
        startDispatcher(
            b ->
                b.publisher(bounded)
                    .batchSize(5)
                    .stuckTimeout(longestPublish.multipliedBy(2))
                    .stuckCheckInterval(Duration.ofMillis(50)));

    eventually()
        .until(() -> count("SELECT COUNT(*) FROM outbox_events WHERE status = 'sent'") == 20);
    assertThat(count("SELECT SUM(attempts) FROM outbox_events")).isZero();
    assertThat(dispatcher.metrics().recoveredStuck()).isZero();
    for (int a = 0; a < 4; a++) {
      String aggregate = "aggregate-" + a;
      assertThat(publisher.delivered())
          .filteredOn(e -> e.aggregateId().equals(aggregate))
          .extracting(EventRecord::eventId)
          .containsExactlyElementsOf(
              Stream.iterate(a, i -> i < 20, i -> i + 4).map(i -> "boundary-" + i).toList());
    }
  }

  /**
   * A database failure while a batch's outcomes are written loses no event and counts no attempt.
   * Where the claim leases in the table the write is tried again, so the events are not published
   * again (regression: one failed write, an H2 lock timeout in the delivery checker, left the batch
   * leased until it expired, and then every event of it was published again). Where the claim's
   * transaction is the lease, the failure ends it: the events are waiting again, as after a crash,
   * and are published again.
   */
  @Test
  void aDatabaseFailureWhileRecordingOutcomesLosesNothingAndCountsNoAttempt() {
    FlakyDataSource flaky = new FlakyDataSource(dataSource());
    CompletableFuture<Void> ack = new CompletableFuture<>();
    if (leasesByTransaction()) {
      AtomicInteger first = new AtomicInteger(2);
      publisher.behave(
          e -> first.getAndDecrement() > 0 ? ack : CompletableFuture.completedFuture(null));
      flaky.trackConnectionsOf("outbox-event-processor-");
    } else {
      publisher.behave(e -> ack);
      flaky.failNext(2, "outbox-outcome-recorder-");
    }
    commit(event("once-1", "a"), event("once-2", "b"));
    startDispatcher(flaky, b -> b.stuckTimeout(Duration.ofMinutes(10)));
    eventually().until(() -> publisher.attempts().size() == 2);
    if (leasesByTransaction()) {
      flaky.cutTrackedConnections();
    }
    ack.complete(null);

    eventually().until(() -> status("once-1").equals("sent") && status("once-2").equals("sent"));
    assertThat(attempts("once-1") + attempts("once-2")).isZero();
    if (leasesByTransaction()) {
      assertThat(publisher.attempts())
          .extracting(EventRecord::eventId)
          .containsExactlyInAnyOrder("once-1", "once-2", "once-1", "once-2");
    } else {
      assertThat(flaky.failuresLeft()).isZero();
      assertThat(publisher.attempts())
          .extracting(EventRecord::eventId)
          .containsExactlyInAnyOrder("once-1", "once-2");
    }
  }

  /**
   * A dispatcher frozen in the middle of publishing (SIGSTOP, a stalled host) loses its claim after
   * the lease, and another dispatcher publishes the event. A lease in the table expires and the
   * other's stuck check takes it back, counting an attempt; a claim's transaction that is the lease
   * is ended by the database once idle for the lease's length, and the event is as it was.
   */
  @Test
  void aDispatcherFrozenWhilePublishingLosesItsEventToAnotherAfterTheLease() {
    CountDownLatch thaw = new CountDownLatch(1);
    publisher.behave(
        e -> {
          try {
            thaw.await();
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
          return CompletableFuture.completedFuture(null);
        });
    commit(event("frozen", "a"));
    Duration lease = Duration.ofSeconds(2);
    startDispatcher(b -> b.instanceId("frozen").stuckTimeout(lease).stuckCheckInterval(lease));
    eventually().until(() -> publisher.attempts().size() == 1);
    RecordingPublisher other = new RecordingPublisher();
    startDispatcher(
        b ->
            b.instanceId("other")
                .publisher(other)
                .stuckTimeout(lease)
                .stuckCheckInterval(Duration.ofMillis(500)));
    try {
      if (!leasesByTransaction()) {
        clock.advance(lease.plusSeconds(1));
        // Taken back, and due again after the backoff, or at once.
        eventually().until(() -> !status("frozen").equals("processing"));
        clock.advance(Duration.ofHours(1));
      }

      other.awaitDelivered(1, Duration.ofSeconds(30));
      assertThat(other.deliveredIds()).containsExactly("frozen");
      eventually().until(() -> status("frozen").equals("sent"));
      assertThat(attempts("frozen")).isEqualTo(leasesByTransaction() ? 0 : 1);
    } finally {
      thaw.countDown();
    }
  }

  @Test
  void expiredLeaseGoesBackToRetryWithTheAttemptCounted() {
    commit(event("orphan", "a"));
    leaseAsADeadDispatcher("orphan", 0);
    Dispatcher dispatcher = startDispatcher(b -> b.stuckTimeout(Duration.ofMinutes(10)));

    twoMoreRuns(dispatcher, "stuck-event-processor");
    assertThat(status("orphan")).isEqualTo("processing");
    clock.advance(Duration.ofMinutes(11));

    eventually().until(() -> status("orphan").equals("sent"));
    assertThat(attempts("orphan")).isEqualTo(1);
    assertThat(publisher.delivered().get(0).attempt()).isEqualTo(2);
  }

  @Test
  void eventThatKeepsKillingItsDispatcherEndsAsADeadLetter() {
    commit(event("poison", "a"));
    leaseAsADeadDispatcher("poison", 2);
    startDispatcher(b -> b.maxAttempts(3));

    clock.advance(Duration.ofMinutes(11));
    eventually().until(() -> count("SELECT COUNT(*) FROM outbox_deadletters") == 1);
    assertThat(publisher.attempts()).isEmpty();
  }

  @Test
  void cleanupDeletesExpiredRowsInBoundedBatchesUntilDone() {
    for (int i = 0; i < 30; i++) {
      commit(event("old-" + i, "agg-" + (i % 4)));
    }
    Dispatcher dispatcher =
        startDispatcher(b -> b.batchSize(50).cleanupBatchSize(7).sentRetention(Duration.ofDays(1)));
    eventually()
        .until(() -> count("SELECT COUNT(*) FROM outbox_events WHERE status = 'sent'") == 30);

    clock.advance(Duration.ofHours(23));
    long runs = cleanupRuns(dispatcher);
    eventually().until(() -> cleanupRuns(dispatcher) > runs + 1);
    assertThat(count("SELECT COUNT(*) FROM outbox_events")).isEqualTo(30);

    clock.advance(Duration.ofHours(2));
    eventually().until(() -> count("SELECT COUNT(*) FROM outbox_events") == 0);
  }

  @Test
  void deadLetterRetentionCountsFromDeadLettering() {
    publisher.behave(
        e ->
            CompletableFuture.failedFuture(
                PublishException.permanent("bad", new RuntimeException())));
    clock.advance(Duration.ofDays(-30));
    commit(event("written-long-ago", "a"));
    clock.advance(Duration.ofDays(30));
    Dispatcher dispatcher = startDispatcher(b -> b.deadLetterRetention(Duration.ofDays(7)));
    eventually().until(() -> count("SELECT COUNT(*) FROM outbox_deadletters") == 1);

    clock.advance(Duration.ofDays(6));
    long runs = cleanupRuns(dispatcher);
    eventually().until(() -> cleanupRuns(dispatcher) > runs + 1);
    assertThat(count("SELECT COUNT(*) FROM outbox_deadletters")).isEqualTo(1);

    clock.advance(Duration.ofDays(2));
    eventually().until(() -> count("SELECT COUNT(*) FROM outbox_deadletters") == 0);
  }

  private static long cleanupRuns(Dispatcher dispatcher) {
    return dispatcher.metrics().workers().stream()
        .filter(w -> w.name().equals("cleanup-processor"))
        .findFirst()
        .orElseThrow()
        .runs();
  }

  @Test
  void closeWaitsForTheInFlightPublishToBeRecorded() throws Exception {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    publisher.behave(e -> ack);
    commit(event("in-flight", "a"));
    Dispatcher dispatcher = startDispatcher();
    eventually().until(() -> publisher.attempts().size() == 1);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(dispatcher::close);
    ack.complete(null);
    closing.get();

    assertThat(status("in-flight")).isEqualTo("sent");
    assertThat(publisher.isClosed()).isTrue();
    assertThat(dispatcher.isRunning()).isFalse();
    dispatcher.close();
  }

  /**
   * Regression: a stop left events committed before it unpublished until the next start (142 of
   * them in a Spring Boot service stopped under load), although the README promised they would go
   * out with it. Close first drains what is due.
   */
  @Test
  void closePublishesWhatWasCommittedBeforeIt() throws Exception {
    CompletableFuture<Void> broker = new CompletableFuture<>();
    publisher.behave(e -> broker);
    for (int i = 0; i < 20; i++) {
      commit(chain("drain-" + i + "-", "aggregate-" + i, 10));
    }
    Dispatcher dispatcher =
        startDispatcher(b -> b.batchSize(5).drainTimeout(Duration.ofMinutes(1)));
    eventually().until(() -> !publisher.attempts().isEmpty());

    CompletableFuture<Void> closing = CompletableFuture.runAsync(dispatcher::close);
    eventually().until(() -> !dispatcher.isRunning());
    broker.complete(null);
    closing.get();

    assertThat(count("SELECT COUNT(*) FROM outbox_events WHERE status <> 'sent'")).isZero();
    assertThat(publisher.delivered()).hasSize(200);
    assertThat(publisher.isClosed()).isTrue();
  }

  /** Without a drain, a publish that fails while the dispatcher stops is the stop's doing. */
  @Test
  void failureWhileClosingIsNotCountedAsAnAttempt() throws Exception {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    publisher.behave(e -> ack);
    commit(event("a1", "A"), event("a2", "A"));
    Dispatcher dispatcher = startDispatcher(b -> b.drainTimeout(Duration.ZERO));
    eventually().until(() -> publisher.attempts().size() == 1);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(dispatcher::close);
    eventually().until(() -> !dispatcher.isRunning());
    ack.completeExceptionally(
        PublishException.retriable("publisher closed", new IllegalStateException()));
    closing.get();

    assertThat(publisher.attempts()).extracting(EventRecord::eventId).containsExactly("a1");
    assertThat(status("a1")).isEqualTo("pending");
    assertThat(attempts("a1")).isZero();
    assertThat(status("a2")).isEqualTo("pending");
  }

  @Test
  void oneHotAggregateDrainsWithoutWaitingForThePollInterval() {
    OutboxEvent[] events = chain("hot-", "HOT", 20);
    commit(events);
    // A claim that overlaps the writing of the previous batch finds every event of the aggregate
    // waiting behind it; it must claim again once the write is done, not sleep ten minutes.
    startDispatcher(b -> b.batchSize(2).pollInterval(Duration.ofMinutes(10)));

    eventually().until(() -> publisher.deliveredIds().size() == 20);
    assertThat(publisher.deliveredIds())
        .isEqualTo(Stream.of(events).map(OutboxEvent::eventId).toList());
  }

  @Test
  void metricsShowStateWorkersConfigBacklogAndTotals() {
    publisher.behave(
        e ->
            e.eventId().equals("bad")
                ? CompletableFuture.failedFuture(
                    PublishException.permanent("no", new RuntimeException()))
                : CompletableFuture.completedFuture(null));
    commit(event("good-1", "a"), event("good-2", "b"), event("bad", "c"));
    Dispatcher dispatcher = startDispatcher(b -> b.batchSize(7));
    // Totals are counted once the outcomes are written, which may come just after the move.
    eventually()
        .until(
            () -> {
              DispatcherMetrics m = dispatcher.metrics();
              return m.deadLetters() == 1 && m.published() == 2;
            });
    commit(event("waiting", "c"));

    DispatcherMetrics metrics = dispatcher.metrics();
    assertThat(metrics.running()).isTrue();
    assertThat(metrics.workers())
        .extracting(DispatcherMetrics.Worker::name)
        .containsExactly(
            "event-processor",
            "dead-letter-processor",
            "stuck-event-processor",
            "cleanup-processor");
    assertThat(metrics.config()).containsEntry("batchSize", "7").containsEntry("maxAttempts", "3");
    assertThat(metrics.published()).isEqualTo(2);
    assertThat(metrics.deadLettered()).isEqualTo(1);
    assertThat(metrics.failedAttempts()).isEqualTo(1);
    assertThat(metrics.pending()).isEqualTo(1);
    assertThat(metrics.backlog()).isEqualTo(1);
    assertThat(metrics.oldestWaitingAge()).isEqualTo(Duration.ZERO);

    dispatcher.close();
    assertThat(dispatcher.metrics().running()).isFalse();
  }

  @Test
  void laterEventsOfAnAggregateWaitForItsRetryWhileOtherAggregatesFlow() {
    AtomicInteger a2Calls = new AtomicInteger();
    publisher.behave(
        e ->
            e.eventId().equals("a2") && a2Calls.incrementAndGet() == 1
                ? retriableFailure()
                : CompletableFuture.completedFuture(null));
    commit(event("a1", "A"), event("a2", "A"), event("a3", "A"), event("b1", "B"));
    commit(event("a4", "A"), event("b2", "B"));
    Dispatcher dispatcher = startDispatcher(b -> b.batchSize(3));

    eventually().until(() -> publisher.deliveredIds().containsAll(List.of("a1", "b1", "b2")));
    eventually().until(() -> status("a2").equals("retry"));
    twoMoreClaims(dispatcher);
    assertThat(publisher.deliveredIds()).doesNotContain("a3", "a4");

    clock.advance(Duration.ofMinutes(1));
    eventually().until(() -> publisher.deliveredIds().size() == 6);
    assertThat(publisher.deliveredIds().stream().filter(id -> id.startsWith("a")))
        .containsExactly("a1", "a2", "a3", "a4");
  }

  /**
   * A host whose clock runs minutes ahead, by more than the lease: its stuck check must not take
   * the leases another dispatcher still holds as expired, which would publish their events twice.
   */
  @Test
  void aDispatcherWhoseClockIsMinutesAheadTakesNoLeaseThatIsStillHeld() {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    publisher.behave(e -> ack);
    commit(event("held-1", "a"), event("held-2", "b"));
    startDispatcher(
        b -> b.clock(Clock.systemUTC()).databaseTime(true).stuckTimeout(Duration.ofMinutes(1)));
    eventually().until(() -> publisher.attempts().size() == 2);

    RecordingPublisher other = new RecordingPublisher();
    Dispatcher ahead =
        startDispatcher(
            b ->
                b.publisher(other)
                    .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5)))
                    .databaseTime(true));
    eventually().until(() -> stuckChecks(ahead) >= 3);

    assertThat(stuckCheckError(ahead)).as("the stuck checks ran through").isNull();
    assertThat(ahead.metrics().recoveredStuck()).isZero();
    assertThat(held()).as("both events still held by the first dispatcher").isEqualTo(2);
    assertThat(other.attempts()).isEmpty();
    ack.complete(null);
    eventually().until(() -> status("held-1").equals("sent") && status("held-2").equals("sent"));
    assertThat(publisher.attempts()).hasSize(2);
  }

  /**
   * A host whose clock runs minutes behind: fresh events are due at once all the same, and the age
   * of the oldest waiting event is not negative.
   */
  @Test
  void aDispatcherWhoseClockIsMinutesBehindPublishesFreshEventsAtOnce() {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    publisher.behave(e -> e.eventId().equals("b1") ? ack : CompletableFuture.completedFuture(null));
    Dispatcher behind =
        startDispatcher(
            b ->
                b.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)))
                    .databaseTime(true));
    OutboxWriter writer = databaseTimeWriter();
    inTransaction(
        c -> {
          writer.saveAll(c, List.of(event("fresh", "a"), event("b1", "b")));
          c.commit();
        });

    publisher.awaitDelivered(1, Duration.ofSeconds(20));
    assertThat(publisher.deliveredIds()).containsExactly("fresh");
    assertThat(Duration.between(publisher.delivered().get(0).createdAt(), Instant.now()).abs())
        .as("stamped with the database's time, which is UTC like this test's clock")
        .isLessThan(Duration.ofSeconds(30));
    eventually().until(() -> publisher.attempts().size() == 2);
    inTransaction(
        c -> {
          writer.save(c, event("b2", "b"));
          c.commit();
        });
    Duration age = behind.metrics().oldestWaitingAge();
    assertThat(age).as("b2 waits behind b1").isNotNull();
    assertThat(age).isBetween(Duration.ZERO, Duration.ofMinutes(1));
    ack.complete(null);
    publisher.awaitDelivered(3, Duration.ofSeconds(20));
  }

  /**
   * A failure recorded after the dispatcher lost its hold on the event was not recorded at all, so
   * the dispatcher neither logs it as a retry nor counts it. A lease in the table is lost to
   * another dispatcher, which then decides what happens to the event; a claim's transaction that is
   * the lease is lost with its connection, and the event waits to be published again.
   */
  @Test
  void aFailureWhoseLeaseWasLostIsNeitherLoggedNorCountedAsARetry() {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    AtomicInteger first = new AtomicInteger(1);
    publisher.behave(
        e ->
            e.eventId().equals("taken") && first.getAndDecrement() > 0
                ? ack
                : CompletableFuture.completedFuture(null));
    commit(event("taken", "a"));
    FlakyDataSource flaky = new FlakyDataSource(dataSource());
    flaky.trackConnectionsOf("outbox-event-processor-");
    Dispatcher dispatcher = startDispatcher(flaky, b -> {});
    eventually().until(() -> publisher.attempts().size() == 1);
    if (leasesByTransaction()) {
      flaky.cutTrackedConnections();
    } else {
      // As when the lease expired and another dispatcher's stuck check took the event back.
      execute("UPDATE outbox_events SET locked_by = 'other:1' WHERE event_id = 'taken'");
    }
    ack.completeExceptionally(
        PublishException.retriable("broker said no", new IllegalStateException()));

    // Outcomes are written in order: once a later batch's is, the failure's write is done.
    commit(event("later", "b"));
    eventually().until(() -> status("later").equals("sent"));

    if (leasesByTransaction()) {
      eventually().until(() -> status("taken").equals("sent"));
      assertThat(attempts("taken")).isZero();
    } else {
      assertThat(status("taken")).isEqualTo("processing");
    }
    DispatcherMetrics metrics = dispatcher.metrics();
    assertThat(metrics.failedAttempts()).isZero();
    assertThat(metrics.retried()).isZero();
  }

  /**
   * Listeners hear what was recorded, in order, with the commit-to-acknowledgement time; one that
   * throws disturbs neither the dispatcher nor the listeners after it.
   */
  @Test
  void listenersAreToldOfClaimsPublishesAndFailuresAndOneThatThrowsChangesNothing() {
    List<String> heard = new CopyOnWriteArrayList<>();
    List<Duration> latencies = new CopyOnWriteArrayList<>();
    publisher.behave(
        e ->
            e.eventId().equals("refused")
                ? CompletableFuture.failedFuture(
                    PublishException.permanent("too large", new IllegalStateException()))
                : CompletableFuture.completedFuture(null));
    Dispatcher dispatcher =
        startDispatcher(
            b ->
                b.listener(
                    new DispatcherListener() {
                      @Override
                      public void claimed(int events, Duration took) {
                        throw new IllegalStateException("a listener's bug");
                      }
                    }));
    dispatcher.addListener(
        new DispatcherListener() {
          @Override
          public void claimed(int events, Duration took) {
            heard.add("claimed " + events);
          }

          @Override
          public void published(EventRecord event, Duration sinceCreated) {
            heard.add("published " + event.eventId());
            latencies.add(sinceCreated);
          }

          @Override
          public void failed(EventRecord event, String error, boolean deadLettered) {
            heard.add("failed " + event.eventId() + (deadLettered ? " for good" : ""));
          }
        });
    commit(event("accepted", "a"), event("refused", "b"));

    eventually()
        .until(
            () ->
                heard.contains("failed refused for good") && heard.contains("published accepted"));
    assertThat(heard).anyMatch(h -> h.startsWith("claimed "));
    assertThat(latencies)
        .singleElement()
        .satisfies(latency -> assertThat(latency).isBetween(Duration.ZERO, Duration.ofMinutes(1)));
  }

  private static long stuckChecks(Dispatcher dispatcher) {
    return stuckCheckWorker(dispatcher).runs();
  }

  private static @Nullable String stuckCheckError(Dispatcher dispatcher) {
    return stuckCheckWorker(dispatcher).lastError();
  }

  private static DispatcherMetrics.Worker stuckCheckWorker(Dispatcher dispatcher) {
    return dispatcher.metrics().workers().stream()
        .filter(worker -> worker.name().equals("stuck-event-processor"))
        .findFirst()
        .orElseThrow();
  }
}
