package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides what becomes of a claimed event, from the facts reported to it: what
 * the publisher answered ({@link PublishReport}), whether the broker probe put a round's failures
 * down to an outage, and whether the {@link OutageJudge} guessed an outage the publisher could not
 * tell. At-least-once rests here: an event leaves the outbox only acknowledged or dead-lettered,
 * and whatever the broker may not have goes back to waiting.
 *
 * <ul>
 *   <li>Acknowledged: sent.
 *   <li>Refused for good: a dead letter at once.
 *   <li>Failed retriably: an attempt counted, tried again after the backoff, a dead letter once the
 *       attempts are used up; uncounted when the broker turned out to be down, which is never an
 *       event's fault.
 *   <li>Unanswered in time: left leased, so the stuck-event worker takes it back after the lease.
 *   <li>Withdrawn, never sent, or failed while stopping: given back now, uncounted.
 * </ul>
 */
final class OutcomePolicy {

  private final DispatcherConfig config;

  OutcomePolicy(DispatcherConfig config) {
    this.config = config;
  }

  /**
   * The outcomes of a published batch, in batch order. During a guessed outage ({@code outageUntil}
   * not null) only the oldest counted failure keeps its attempt: it stands for the batch, and the
   * others go back uncounted until the processor resumes.
   */
  List<Outcome> published(
      List<ClaimedEvent> batch, PublishReport report, @Nullable Instant outageUntil) {
    List<Outcome> outcomes = new ArrayList<>();
    boolean probeKept = false;
    for (ClaimedEvent event : batch) {
      Outcome outcome = decide(event, report.of(event));
      if (outageUntil != null && outcome.kind() != Outcome.Kind.LEFT_LEASED) {
        if (outcome.failedRetriably() && !probeKept) {
          probeKept = true;
        } else {
          outcome = Outcome.released(event.id(), outageUntil);
        }
      }
      outcomes.add(outcome);
    }
    return outcomes;
  }

  /** A claim given back unpublished (the processor pausing or stopping): waiting again, now. */
  List<Outcome> givenBack(List<ClaimedEvent> batch) {
    Instant now = config.clock().instant();
    return batch.stream().map(e -> Outcome.released(e.id(), now)).toList();
  }

  private Outcome decide(ClaimedEvent event, PublishReport.Fact fact) {
    return switch (fact.answer()) {
      case ACKNOWLEDGED -> Outcome.sent(event.id(), fact.at());
      case FAILED_PERMANENTLY ->
          Outcome.failed(event.id(), event.attemptsBefore() + 1, error(fact), true);
      case FAILED_RETRIABLY ->
          fact.brokerDownAfter()
              ? Outcome.released(event.id(), fact.at())
              : attemptCounted(event, fact);
      case UNANSWERED -> Outcome.leftLeased(event.id());
      case FAILED_WHILE_STOPPING, WITHDRAWN, NOT_SENT -> Outcome.released(event.id(), fact.at());
    };
  }

  private Outcome attemptCounted(ClaimedEvent event, PublishReport.Fact fact) {
    int attempts = event.attemptsBefore() + 1;
    if (attempts >= config.maxAttempts()) {
      return Outcome.failed(event.id(), attempts, error(fact), false);
    }
    Instant next = fact.at().plus(config.backoff().delay(attempts));
    return Outcome.retry(event.id(), attempts, next, error(fact));
  }

  private static String error(PublishReport.Fact fact) {
    return Objects.requireNonNull(fact.error(), "a failure without its error");
  }
}
