package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.Publisher;
import dev.outbox.spi.Withdrawable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Publishes a claimed batch in rounds: round k sends the k-th event of every aggregate still going,
 * and waits for their acknowledgements. Events of one aggregate thus go one after the other, the
 * next only once the previous one is acknowledged, so no publisher can reorder them, while
 * different aggregates go in parallel. When an event fails, the later events of its aggregate are
 * not attempted and go back to waiting behind it. After a round with retriable failures the {@link
 * OutageJudge} is asked whether the broker is down; if it is, those failures and the rest of the
 * batch go back uncounted.
 *
 * <p>Acknowledgements are awaited up to half the lease from the claim, so the outcomes are written
 * while the batch is still leased. A round, the first one included, starts only while the
 * publisher's {@linkplain Publisher#publishTimeLimit() longest publish} still fits before then; a
 * publish not answered in time is withdrawn if the publisher can ({@link Withdrawable}), and then
 * goes back to waiting uncounted, like the events no round reached.
 */
final class PublishingRounds {

  private static final int MAX_ERROR_LENGTH = 2000;

  private final Publisher publisher;
  private final OutageJudge outage;
  private final long longestPublishNanos;
  private final DispatcherConfig config;
  private final BooleanSupplier running;
  private final Logger log;

  PublishingRounds(
      Publisher publisher, OutageJudge outage, DispatcherConfig config, BooleanSupplier running) {
    this.publisher = publisher;
    this.outage = outage;
    this.longestPublishNanos =
        publisher.publishTimeLimit().map(bound -> bound.limit().toNanos()).orElse(0L);
    this.config = config;
    this.running = running;
    this.log = config.logger();
  }

  /**
   * Publishes round by round: round k sends the k-th event of every aggregate still going. The time
   * allowed counts from {@code claimedNanos} ({@link System#nanoTime}), when the claim was made: a
   * batch claimed while the previous one was published has waited part of its lease.
   */
  Map<Long, Outcome> publish(List<ClaimedEvent> batch, long claimedNanos) {
    Map<String, List<ClaimedEvent>> byAggregate = new LinkedHashMap<>();
    for (ClaimedEvent event : batch) {
      byAggregate.computeIfAbsent(event.aggregateKey(), k -> new ArrayList<>()).add(event);
    }
    Map<Long, Outcome> outcomes = new HashMap<>();
    long deadline = claimedNanos + config.stuckTimeout().toNanos() / 2;
    long lastRoundStart = deadline - longestPublishNanos;
    List<List<ClaimedEvent>> going = new ArrayList<>(byAggregate.values());
    for (int round = 0; !going.isEmpty(); round++) {
      // The builder saw to it that a publish fits in half a lease, so the first round of a batch
      // published as soon as it was claimed always goes.
      if (!running.getAsBoolean() || System.nanoTime() > lastRoundStart) {
        // Stopping, or out of time: what was not sent goes back uncounted, not out unrecorded.
        for (List<ClaimedEvent> events : going) {
          releaseRest(events, round, outcomes);
        }
        break;
      }
      Map<ClaimedEvent, CompletableFuture<Void>> inFlight = new LinkedHashMap<>();
      for (List<ClaimedEvent> events : going) {
        ClaimedEvent event = events.get(round);
        log.debug(
            "Publishing event {} ({}) of {}/{} to {}, attempt {}",
            event.record().eventId(),
            event.record().eventType(),
            event.record().aggregateType(),
            event.record().aggregateId(),
            event.record().topic(),
            event.record().attempt());
        inFlight.put(event, send(event));
      }
      List<List<ClaimedEvent>> next = new ArrayList<>();
      List<Outcome> retriableFailures = new ArrayList<>();
      for (List<ClaimedEvent> events : going) {
        ClaimedEvent event = events.get(round);
        CompletableFuture<Void> publish = Objects.requireNonNull(inFlight.get(event));
        Throwable failure = await(publish, deadline);
        if (failure == null) {
          outcomes.put(event.id(), Outcome.sent(event.id(), config.clock().instant()));
          if (round + 1 < events.size()) {
            next.add(events);
          }
        } else if (failure instanceof TimeoutException
            && publish instanceof Withdrawable withdrawable
            && withdrawable.withdraw()) {
          // Withdrawn before it reached the broker: not an attempt, nothing to wait for.
          releaseRest(events, round, outcomes);
        } else if (failure instanceof TimeoutException) {
          // Outcome unknown: leave the lease to expire, the stuck-event worker takes over.
          log.warn("No acknowledgement for event {} in time", event.record().eventId());
          releaseRest(events, round + 1, outcomes);
        } else if (!running.getAsBoolean()) {
          // Failures while closing (the publisher shutting down) say nothing about the event.
          releaseRest(events, round, outcomes);
        } else {
          Outcome outcome = failureOutcome(event, failure);
          outcomes.put(event.id(), outcome);
          if (outcome.failedRetriably()) {
            retriableFailures.add(outcome);
          }
          releaseRest(events, round + 1, outcomes);
        }
      }
      if (!retriableFailures.isEmpty() && outage.brokerDownAfter(retriableFailures)) {
        // Not the events' fault, and nothing more to send to a broker that is down.
        Instant now = config.clock().instant();
        for (Outcome failed : retriableFailures) {
          outcomes.put(failed.id(), Outcome.released(failed.id(), now));
        }
        for (List<ClaimedEvent> events : next) {
          releaseRest(events, round + 1, outcomes);
        }
        break;
      }
      going = next;
    }
    return outcomes;
  }

  private CompletableFuture<Void> send(ClaimedEvent event) {
    try {
      return publisher.publish(event.record()).toCompletableFuture();
    } catch (RuntimeException | LinkageError e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static @Nullable Throwable await(CompletableFuture<Void> future, long deadline) {
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause() != null ? e.getCause() : e;
    } catch (TimeoutException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TimeoutException("interrupted while waiting for the broker");
    }
  }

  private void releaseRest(List<ClaimedEvent> events, int from, Map<Long, Outcome> outcomes) {
    Instant now = config.clock().instant();
    for (ClaimedEvent later : events.subList(from, events.size())) {
      outcomes.put(later.id(), Outcome.released(later.id(), now));
    }
  }

  private Outcome failureOutcome(ClaimedEvent event, Throwable failure) {
    int attempts = event.attemptsBefore() + 1;
    boolean permanent = failure instanceof PublishException p && !p.isRetriable();
    String error = describe(failure, permanent);
    if (permanent || attempts >= config.maxAttempts()) {
      return Outcome.failed(event.id(), attempts, error, permanent);
    }
    Instant next = config.clock().instant().plus(config.backoff().delay(attempts));
    return Outcome.retry(event.id(), attempts, next, error);
  }

  private static String describe(Throwable failure, boolean permanent) {
    String text =
        (permanent ? "permanent: " : "")
            + failure.getClass().getSimpleName()
            + ": "
            + failure.getMessage();
    return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
  }
}
