package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.Publisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The event processor: claims a batch, publishes it, records each outcome, and goes again at once
 * while there is work. When a claim finds nothing it waits, unless woken: first 5 ms, doubling with
 * every empty claim up to the poll interval, so events committed soon after others do not wait a
 * whole poll interval, while an idle outbox is still polled only once per interval.
 *
 * <p>Events of one aggregate are published one after the other, the next only once the previous one
 * is acknowledged, so no publisher can reorder them; different aggregates are published in
 * parallel. When an event fails, the later events of its aggregate in the batch are not attempted
 * and go back to waiting behind it.
 */
public final class EventProcessor implements Runnable {

  private static final int MAX_ERROR_LENGTH = 2000;
  private static final Duration MAX_OUTAGE_PAUSE = Duration.ofMinutes(1);
  private static final Duration FIRST_IDLE_PAUSE = Duration.ofMillis(5);

  /**
   * Bound on the wait after repeated failures of the processor itself (database down, a pooled
   * connection that stays broken). Growing waits also let a pool validate idle connections, which
   * it skips for connections handed out again at once.
   */
  private static final Duration MAX_FAILURE_PAUSE = Duration.ofSeconds(10);

  private final EventStore store;
  private final Publisher publisher;
  private final DispatcherConfig config;
  private final Counters counters;
  private final Logger log;
  private final OutcomeRecorder recorder;
  private final Waiter waiter = new Waiter();
  private final AtomicLong claimSequence = new AtomicLong();
  private volatile boolean running = true;
  private volatile @Nullable Instant lastRunAt;
  private volatile @Nullable String lastError;
  private final GrowingPause idlePause;
  private final GrowingPause outagePause;
  private final GrowingPause failurePause;

  public EventProcessor(
      EventStore store, Publisher publisher, DispatcherConfig config, Counters counters) {
    this.store = store;
    this.publisher = publisher;
    this.config = config;
    this.counters = counters;
    this.log = config.logger();
    // What is due may wait behind the batch being written: each write wakes the processor, so
    // an empty claim that overlapped it is followed by another, not by the idle pause.
    this.recorder = new OutcomeRecorder(store, config, counters, waiter::wake);
    this.idlePause =
        new GrowingPause(
            FIRST_IDLE_PAUSE.compareTo(config.pollInterval()) < 0
                ? FIRST_IDLE_PAUSE
                : config.pollInterval(),
            config.pollInterval());
    this.outagePause = new GrowingPause(config.pollInterval(), MAX_OUTAGE_PAUSE);
    this.failurePause = new GrowingPause(config.pollInterval(), MAX_FAILURE_PAUSE);
  }

  /**
   * Stops claiming; the batch in hand is still published and recorded, though a write that failed
   * is no longer tried again.
   */
  public void stop() {
    running = false;
    recorder.stopRetrying();
    waiter.wake();
  }

  /** Claims again now instead of waiting out the idle pause. */
  public void wakeUp() {
    waiter.wake();
  }

  @Override
  public void run() {
    try {
      loop();
    } finally {
      recorder.close();
    }
  }

  private void loop() {
    while (running) {
      Duration pause;
      try {
        int claimed = processBatch();
        lastError = null;
        failurePause.reset();
        if (claimed > 0) {
          pause = outagePause.current();
          if (pause.isZero()) {
            // Work, not a batch given back to an outage: events may be coming, look again soon.
            idlePause.reset();
          }
        } else {
          pause = idlePause.next();
        }
      } catch (Throwable e) {
        // Whatever a publisher or driver throws, the processor must live on: its claimed events
        // stay leased and come back through the stuck-event worker.
        pause = failurePause.next();
        lastError = String.valueOf(e);
        log.error("Outbox event processor failed; trying again in {}", pause, e);
      } finally {
        lastRunAt = Instant.now();
      }
      if (!running) {
        break;
      }
      if (pause.isZero()) {
        continue;
      }
      try {
        await(pause, !failurePause.current().isZero());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /** When the last claim (and the publishing of what it found) ended, successful or not. */
  public @Nullable Instant lastRunAt() {
    return lastRunAt;
  }

  /** The error of the last claim or publishing round; {@code null} once one succeeds. */
  public @Nullable String lastError() {
    return lastError;
  }

  /**
   * Waits for the pause, cut short by a wake-up; after a failure only by {@link #stop()}, so an
   * application waking the processor on every commit cannot make it hammer a failing database.
   */
  private void await(Duration pause, boolean afterFailure) throws InterruptedException {
    long deadline = System.nanoTime() + pause.toNanos();
    do {
      waiter.await(Duration.ofNanos(deadline - System.nanoTime()));
    } while (afterFailure && running && System.nanoTime() < deadline);
  }

  /**
   * Claims and publishes one batch, then hands its outcomes to the recorder; the next batch is
   * claimed and published while they are being written.
   */
  int processBatch() {
    String owner = config.instanceId() + ":" + claimSequence.incrementAndGet();
    long started = System.nanoTime();
    Instant now = config.clock().instant();
    Instant leaseUntil = now.plus(config.stuckTimeout());
    List<ClaimedEvent> batch = store.claim(owner, now, leaseUntil, config.batchSize());
    if (batch.isEmpty()) {
      return 0;
    }
    counters.claims.increment();
    long claimed = System.nanoTime();
    Map<Long, Outcome> outcomes = publish(batch);
    if (log.isDebugEnabled()) {
      log.debug(
          "Batch {} of {} event(s): claimed in {} ms, published in {} ms",
          owner,
          batch.size(),
          (claimed - started) / 1_000_000,
          (System.nanoTime() - claimed) / 1_000_000);
    }
    recorder.record(owner, leaseUntil, batch, judgeOutage(batch, outcomes));
    return batch.size();
  }

  /** Publishes round by round: round k sends the k-th event of every aggregate still going. */
  private Map<Long, Outcome> publish(List<ClaimedEvent> batch) {
    Map<String, List<ClaimedEvent>> byAggregate = new LinkedHashMap<>();
    for (ClaimedEvent event : batch) {
      byAggregate.computeIfAbsent(event.aggregateKey(), k -> new ArrayList<>()).add(event);
    }
    Map<Long, Outcome> outcomes = new HashMap<>();
    long deadline = System.nanoTime() + config.stuckTimeout().toNanos() / 2;
    List<List<ClaimedEvent>> going = new ArrayList<>(byAggregate.values());
    for (int round = 0; !going.isEmpty(); round++) {
      if (!running || System.nanoTime() > deadline) {
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
      for (List<ClaimedEvent> events : going) {
        ClaimedEvent event = events.get(round);
        Throwable failure = await(inFlight.get(event), deadline);
        if (failure == null) {
          outcomes.put(event.id(), Outcome.sent(event.id()));
          if (round + 1 < events.size()) {
            next.add(events);
          }
        } else if (failure instanceof TimeoutException) {
          // Outcome unknown: leave the lease to expire, the stuck-event worker takes over.
          log.warn("No acknowledgement for event {} in time", event.record().eventId());
          releaseRest(events, round + 1, outcomes);
        } else if (!running) {
          // Failures while closing (the publisher shutting down) say nothing about the event.
          releaseRest(events, round, outcomes);
        } else {
          outcomes.put(event.id(), failureOutcome(event, failure));
          releaseRest(events, round + 1, outcomes);
        }
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

  private static Throwable await(CompletableFuture<Void> future, long deadline) {
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

  /**
   * When every attempt of a batch failed retriably, the broker is probably down rather than the
   * events bad. Then only the oldest attempted event keeps its counted attempt; the others go back
   * uncounted, and the processor pauses (growing up to a minute), so an outage cannot use up the
   * attempts of every event in the table.
   */
  private List<Outcome> judgeOutage(List<ClaimedEvent> batch, Map<Long, Outcome> outcomes) {
    List<Outcome> ordered = new ArrayList<>();
    for (ClaimedEvent event : batch) {
      Outcome o = outcomes.get(event.id());
      if (o != null) {
        ordered.add(o);
      }
    }
    long failedRetriably = ordered.stream().filter(Outcome::failedRetriably).count();
    boolean outage =
        failedRetriably >= 2
            && ordered.stream()
                .allMatch(o -> o.failedRetriably() || o.kind() == Outcome.Kind.RELEASED);
    if (!outage) {
      outagePause.reset();
      return ordered;
    }
    Instant resumeAt = config.clock().instant().plus(outagePause.next());
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
        "All {} publish attempt(s) of the batch failed; the broker looks unavailable. Pausing {}"
            + " without counting attempts (last error: {})",
        failedRetriably,
        outagePause.current(),
        ordered.get(0).error());
    return result;
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
