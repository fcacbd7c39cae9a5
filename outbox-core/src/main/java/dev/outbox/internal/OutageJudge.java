package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import dev.outbox.spi.BrokerAvailability;
import dev.outbox.spi.Publisher;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Tells a broker outage from bad events, so that an outage, however long, counts no attempt against
 * any event. When a round of publishes had retriable failures, the publisher is asked at once
 * whether its broker takes events: if it does, the failures were the events' own and count; if not,
 * they go back uncounted, the rest of the batch is not sent, and the processor claims nothing until
 * the broker answers again. Asking after each round, not after the batch, keeps a batch that
 * outlives the outage from counting failures that happened while the broker was down. A publisher
 * that cannot tell leaves the judgement to the batch's answers alone, see {@link
 * #outageGuessedFrom}. The judge only tells whether the broker is down; the {@link OutcomePolicy}
 * decides what that means for the events.
 */
final class OutageJudge {

  /** How long one question to the broker may take; the processor waits in it. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  /** Bound on the wait between two questions while the broker is down: how late a drain starts. */
  static final Duration MAX_PROBE_PAUSE = Duration.ofSeconds(5);

  private static final Duration MAX_UNKNOWN_OUTAGE_PAUSE = Duration.ofMinutes(1);

  private final Publisher publisher;
  private final Logger log;
  private final DispatcherConfig config;
  private final GrowingPause unknownOutagePause;

  /** A confirmed outage, counting the publishes it gave back. */
  private final FailureStreak outage = new FailureStreak();

  private boolean publisherCannotTell;

  OutageJudge(Publisher publisher, DispatcherConfig config) {
    this.publisher = publisher;
    this.config = config;
    this.log = config.logger();
    this.unknownOutagePause = new GrowingPause(config.pollInterval(), MAX_UNKNOWN_OUTAGE_PAUSE);
  }

  /** Whether the publisher said its broker is down: the processor must wait for it to return. */
  boolean brokerDown() {
    return outage.active();
  }

  /** The outage in words, for the processor's status while it waits for the broker. */
  String describe() {
    return "broker unavailable for " + outage.length() + "; claiming waits for it";
  }

  /**
   * How long the processor pauses before its next claim when the publisher cannot tell whether its
   * broker is up: zero unless the failures alone look like an outage.
   */
  Duration pause() {
    return unknownOutagePause.current();
  }

  /**
   * Asks the publisher about its broker after a round with {@code failures} retriable failures, the
   * last with {@code lastError}; true when it is down, and nothing more may be sent.
   */
  boolean brokerDownAfter(int failures, @Nullable String lastError) {
    BrokerAvailability answer = ask();
    if (answer == BrokerAvailability.UNKNOWN) {
      publisherCannotTell = true;
    }
    if (answer != BrokerAvailability.UNAVAILABLE) {
      return false;
    }
    if (outage.add(failures)) {
      log.warn(
          "The broker is unavailable: {} publish(es) failed (last error: {}). They go back without"
              + " counting an attempt, and claiming waits until the broker answers",
          failures,
          lastError);
    }
    return true;
  }

  /**
   * Judges a published batch when the publisher could not tell whether its broker is up ({@link
   * BrokerAvailability#UNKNOWN}): when every attempt of the batch failed retriably, and at least
   * two did, the broker looks down, and the processor pauses (growing up to a minute). Returns when
   * the pause ends, or null when the broker does not look down or the publisher could tell.
   */
  @Nullable Instant outageGuessedFrom(PublishReport report) {
    boolean guess = publisherCannotTell;
    publisherCannotTell = false;
    int failedRetriably = report.retriableFailures();
    if (!guess || failedRetriably < 2 || !report.nothingTakenIn()) {
      unknownOutagePause.reset();
      return null;
    }
    Instant resumeAt = config.clock().instant().plus(unknownOutagePause.next());
    log.warn(
        "All {} publish attempt(s) of the batch failed; the broker looks unavailable. Pausing {};"
            + " only the oldest event's attempt counts (last error: {})",
        failedRetriably,
        unknownOutagePause.current(),
        report.firstRetriableError());
    return resumeAt;
  }

  /**
   * Asks the publisher again during an outage; true once the broker is back (or the publisher can
   * no longer tell), when claiming resumes.
   */
  boolean brokerBack() {
    if (!outage.active()) {
      return true;
    }
    if (ask() == BrokerAvailability.UNAVAILABLE) {
      if (outage.reminderDue()) {
        log.warn(
            "The broker is still unavailable after {}; {} publish(es) given back uncounted so far",
            outage.length(),
            outage.count());
      }
      return false;
    }
    log.info(
        "The broker is available again after {}; claiming resumes ({} publish(es) were given back"
            + " uncounted)",
        outage.length(),
        outage.count());
    outage.end();
    return true;
  }

  private BrokerAvailability ask() {
    try {
      return publisher.checkAvailability(PROBE_TIMEOUT);
    } catch (RuntimeException e) {
      log.debug("The publisher could not tell whether its broker is available", e);
      return BrokerAvailability.UNKNOWN;
    }
  }
}
