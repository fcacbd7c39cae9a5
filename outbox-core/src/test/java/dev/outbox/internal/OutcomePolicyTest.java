package dev.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.Backoff;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherConfig;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publication;
import dev.outbox.spi.PublishException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class OutcomePolicyTest {

  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  private final DispatcherConfig config =
      Dispatcher.builder(new JdbcDataSource())
          .publisher(event -> Publication.acknowledged())
          .clock(Clock.fixed(NOW, ZoneOffset.UTC))
          .maxAttempts(3)
          .backoff(Backoff.fixed(Duration.ofMinutes(1)))
          .build()
          .config();
  private final OutcomePolicy policy = new OutcomePolicy(config);
  private final PublishReport report = new PublishReport(config.clock());

  @Test
  void eachAnswerHasItsOutcome() {
    ClaimedEvent acked = event(1, 0);
    ClaimedEvent refused = event(2, 0);
    ClaimedEvent failed = event(3, 1);
    ClaimedEvent lastAttempt = event(4, 2);
    ClaimedEvent unanswered = event(5, 0);
    ClaimedEvent withdrawn = event(6, 0);
    ClaimedEvent whileStopping = event(7, 0);
    ClaimedEvent notSent = event(8, 0);
    report.acknowledged(acked);
    report.failed(refused, PublishException.permanent("too large", new IllegalStateException()));
    report.failed(failed, new IllegalStateException("timeout"));
    report.failed(lastAttempt, new IllegalStateException("timeout"));
    report.unanswered(unanswered);
    report.withdrawn(withdrawn);
    report.failedWhileStopping(whileStopping);
    report.notSent(List.of(notSent));

    List<Outcome> outcomes =
        policy.published(
            List.of(
                acked, refused, failed, lastAttempt, unanswered, withdrawn, whileStopping, notSent),
            report,
            null);

    assertThat(outcomes)
        .containsExactly(
            Outcome.sent(1, NOW),
            Outcome.failed(2, 1, "permanent: PublishException: too large", true),
            Outcome.retry(3, 2, NOW.plus(Duration.ofMinutes(1)), "IllegalStateException: timeout"),
            Outcome.failed(4, 3, "IllegalStateException: timeout", false),
            Outcome.leftLeased(5),
            Outcome.released(6, NOW),
            Outcome.released(7, NOW),
            Outcome.released(8, NOW));
  }

  @Test
  void aRetriableFailureTheBrokerProbePutsDownToAnOutageCountsNoAttempt() {
    ClaimedEvent failed = event(1, 0);
    ClaimedEvent refused = event(2, 0);
    report.failed(failed, new IllegalStateException("broker unavailable"));
    report.failed(
        refused, PublishException.permanent("invalid topic", new IllegalStateException()));
    report.brokerDownAfter(List.of(failed));

    assertThat(policy.published(List.of(failed, refused), report, null))
        .containsExactly(
            Outcome.released(1, NOW),
            Outcome.failed(2, 1, "permanent: PublishException: invalid topic", true));
    assertThat(report.retriableFailures()).isZero();
  }

  @Test
  void duringAGuessedOutageOnlyTheOldestCountedFailureKeepsItsAttempt() {
    ClaimedEvent unanswered = event(1, 0);
    ClaimedEvent oldest = event(2, 0);
    ClaimedEvent younger = event(3, 0);
    ClaimedEvent notSent = event(4, 0);
    report.unanswered(unanswered);
    report.failed(oldest, new IllegalStateException("timeout"));
    report.failed(younger, new IllegalStateException("timeout"));
    report.notSent(List.of(notSent));
    Instant resumeAt = NOW.plusSeconds(2);

    assertThat(report.retriableFailures()).isEqualTo(2);
    assertThat(report.nothingTakenIn()).isTrue();
    assertThat(policy.published(List.of(unanswered, oldest, younger, notSent), report, resumeAt))
        .containsExactly(
            Outcome.leftLeased(1),
            Outcome.retry(2, 1, NOW.plus(Duration.ofMinutes(1)), "IllegalStateException: timeout"),
            Outcome.released(3, resumeAt),
            Outcome.released(4, resumeAt));
  }

  @Test
  void aClaimGivenBackUnpublishedWaitsAgainNowUncounted() {
    assertThat(policy.givenBack(List.of(event(1, 2), event(2, 0))))
        .containsExactly(Outcome.released(1, NOW), Outcome.released(2, NOW));
  }

  private static ClaimedEvent event(long id, int attemptsBefore) {
    EventRecord record =
        EventRecord.builder()
            .eventId("e-" + id)
            .eventType("T")
            .aggregateType("A")
            .aggregateId("a-" + id)
            .topic("topic")
            .payload("{}")
            .traceparent(null)
            .headers(Map.of())
            .createdAt(NOW)
            .attempt(attemptsBefore + 1)
            .build();
    return new ClaimedEvent(id, attemptsBefore, record, NOW);
  }
}
