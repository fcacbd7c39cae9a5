package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import dev.outbox.spi.BrokerAvailability;
import dev.outbox.spi.Publisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Tells a broker outage from bad events, so that an outage, however long, counts no attempt against
 * any event. When a round of publishes had retriable failures, the publisher is asked at once
 * whether its broker takes events: if it does, the failures were the events' own and count; if not,
 * they go back uncounted, the rest of the batch is not sent, and the processor claims nothing until
 * the broker answers again. Asking after each round, not after the batch, keeps a batch that
 * outlives the outage from counting failures that happened while the broker was down. A publisher
 * that cannot tell leaves the judgement to the batch's outcomes alone, see {@link #judge}.
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
   * Asks the publisher about its broker after a round whose {@code failures} were retriable; true
   * when it is down, and those failures (and the rest of the batch) must go back uncounted.
   */
  boolean brokerDownAfter(List<Outcome> failures) {
    BrokerAvailability answer = ask();
    if (answer == BrokerAvailability.UNKNOWN) {
      publisherCannotTell = true;
    }
    if (answer != BrokerAvailability.UNAVAILABLE) {
      return false;
    }
    if (outage.add(failures.size())) {
      log.warn(
          "The broker is unavailable: {} publish(es) failed (last error: {}). They go back without"
              + " counting an attempt, and claiming waits until the broker answers",
          failures.size(),
          failures.get(failures.size() - 1).error());
    }
    return true;
  }

  /**
   * The outcomes to record for a published batch, in batch order: as published, unless the
   * publisher could not tell whether its broker is up ({@link BrokerAvailability#UNKNOWN}). Then,
   * when every attempt of the batch failed retriably, only the oldest attempted event keeps its
   * counted attempt, the others go back uncounted, and the processor pauses (growing up to a
   * minute).
   */
  List<Outcome> judge(List<ClaimedEvent> batch, Map<Long, Outcome> outcomes) {
    List<Outcome> ordered = new ArrayList<>();
    for (ClaimedEvent event : batch) {
      Outcome o = outcomes.get(event.id());
      if (o != null) {
        ordered.add(o);
      }
    }
    boolean guess = publisherCannotTell;
    publisherCannotTell = false;
    long failedRetriably = ordered.stream().filter(Outcome::failedRetriably).count();
    if (!guess || failedRetriably == 0) {
      unknownOutagePause.reset();
      return ordered;
    }
    return judgeByOutcomes(ordered, failedRetriably);
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

  private List<Outcome> judgeByOutcomes(List<Outcome> ordered, long failedRetriably) {
    boolean looksDown =
        failedRetriably >= 2
            && ordered.stream()
                .allMatch(o -> o.failedRetriably() || o.kind() == Outcome.Kind.RELEASED);
    if (!looksDown) {
      unknownOutagePause.reset();
      return ordered;
    }
    Instant resumeAt = config.clock().instant().plus(unknownOutagePause.next());
    List<Outcome> result = new ArrayList<>();
    boolean probeKept = false;
    for (Outcome o : ordered) {
      if (o.failedRetriably() && !probeKept) {
        result.add(o);
        probeKept = true;
      } else {
        result.add(Outcome.released(o.id(), resumeAt));
      }
    }
    log.warn(
        "All {} publish attempt(s) of the batch failed; the broker looks unavailable. Pausing {};"
            + " only the oldest event's attempt counts (last error: {})",
        failedRetriably,
        unknownOutagePause.current(),
        ordered.get(0).error());
    return result;
  }
}
