package dev.outbox.internal;

import dev.outbox.Redaction;
import dev.outbox.spi.PublishException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What publishing a batch came to, event by event, as the publisher and the broker probe said it:
 * facts only. The {@link OutcomePolicy} decides from them what becomes of each event, so the code
 * that publishes never weighs an attempt, a backoff or a dead letter.
 */
final class PublishReport {

  private static final int MAX_ERROR_LENGTH = 2000;

  /** What became of one event's publish. */
  enum Answer {
    ACKNOWLEDGED,
    /** An error a retry might fix: broker unavailable, a timeout. */
    FAILED_RETRIABLY,
    /** An error that says the event itself is bad. */
    FAILED_PERMANENTLY,
    /**
     * Failed while the processor stopped: the publisher shutting down says nothing of the event.
     */
    FAILED_WHILE_STOPPING,
    /** Still queued when no publish could start any more, and taken back by the publisher. */
    WITHDRAWN,
    /** With the broker's client, but not answered in time: the broker may have it or not. */
    UNANSWERED,
    /**
     * Never sent: an earlier event of its aggregate did not go through, the batch ran out of time,
     * the processor stopped, or the broker went down.
     */
    NOT_SENT
  }

  /**
   * One event's answer, when it came (on the dispatcher's clock), the error in words, and whether
   * the broker probe said after its round that the broker is down.
   */
  record Fact(Answer answer, Instant at, @Nullable String error, boolean brokerDownAfter) {}

  private final Clock clock;
  private final Map<Long, Fact> facts = new LinkedHashMap<>();

  PublishReport(Clock clock) {
    this.clock = clock;
  }

  void acknowledged(ClaimedEvent event) {
    put(event, Answer.ACKNOWLEDGED, null);
  }

  /** Records a failure the publisher reported, and tells which kind it was. */
  Answer failed(ClaimedEvent event, Throwable failure) {
    boolean permanent = failure instanceof PublishException p && !p.isRetriable();
    Answer answer = permanent ? Answer.FAILED_PERMANENTLY : Answer.FAILED_RETRIABLY;
    put(event, answer, describe(failure, permanent));
    return answer;
  }

  void failedWhileStopping(ClaimedEvent event) {
    put(event, Answer.FAILED_WHILE_STOPPING, null);
  }

  void withdrawn(ClaimedEvent event) {
    put(event, Answer.WITHDRAWN, null);
  }

  void unanswered(ClaimedEvent event) {
    put(event, Answer.UNANSWERED, null);
  }

  void notSent(List<ClaimedEvent> events) {
    events.forEach(e -> put(e, Answer.NOT_SENT, null));
  }

  /** The probe after the round of these retriable failures said the broker is down. */
  void brokerDownAfter(List<ClaimedEvent> failures) {
    Instant at = clock.instant();
    for (ClaimedEvent event : failures) {
      Fact fact = of(event);
      facts.put(event.id(), new Fact(fact.answer(), at, fact.error(), true));
    }
  }

  Fact of(ClaimedEvent event) {
    return Objects.requireNonNull(facts.get(event.id()), "no answer for a claimed event");
  }

  /** Retriable failures whose round the broker probe did not put down to an outage. */
  int retriableFailures() {
    return (int) facts.values().stream().filter(PublishReport::retriableWhileUp).count();
  }

  /** Whether no event was acknowledged or refused for good: the broker took nothing in. */
  boolean nothingTakenIn() {
    return facts.values().stream()
        .noneMatch(
            f -> f.answer() == Answer.ACKNOWLEDGED || f.answer() == Answer.FAILED_PERMANENTLY);
  }

  /** The error of the first retriable failure the probe did not put down to an outage. */
  @Nullable String firstRetriableError() {
    return facts.values().stream()
        .filter(PublishReport::retriableWhileUp)
        .map(Fact::error)
        .findFirst()
        .orElse(null);
  }

  private static boolean retriableWhileUp(Fact fact) {
    return fact.answer() == Answer.FAILED_RETRIABLY && !fact.brokerDownAfter();
  }

  private void put(ClaimedEvent event, Answer answer, @Nullable String error) {
    facts.put(event.id(), new Fact(answer, clock.instant(), error, false));
  }

  private static String describe(Throwable failure, boolean permanent) {
    String text =
        Redaction.mask(
            (permanent ? "permanent: " : "")
                + failure.getClass().getSimpleName()
                + ": "
                + failure.getMessage());
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
  }
}
