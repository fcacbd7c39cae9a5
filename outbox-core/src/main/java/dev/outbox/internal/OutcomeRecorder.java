package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import dev.outbox.OutboxDatabaseException;
import dev.outbox.Redaction;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * Writes the outcomes of a published batch on a thread of its own, so the event processor can claim
 * and publish the next batch meanwhile. At most one batch waits to be written: handing over the
 * next one first waits for the previous write, which keeps memory bounded and outcomes in order.
 * Until its outcomes are written a batch stays leased, so no other claim can touch it.
 *
 * <p>A write that fails in the database (lock timeout, deadlock, a connection lost) is tried again,
 * with growing pauses, for as long as the batch's lease lasts and the dispatcher is not stopping,
 * where its {@link BatchLease} allows it: given up, it would have every event of the batch
 * published again once the lease expires, although the broker has them already. A batch held by its
 * claim's transaction cannot be tried again: the failure ended that transaction.
 */
final class OutcomeRecorder implements AutoCloseable {

  private final OutcomeWriter writer;
  private final Runnable afterWrite;
  private final DispatcherConfig config;
  private final Counters counters;
  private final Listeners listeners;
  private final Logger log;
  private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(50);
  private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(1);

  private final ExecutorService executor;
  private CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);
  private volatile boolean retrying = true;

  OutcomeRecorder(
      OutcomeWriter writer,
      DispatcherConfig config,
      Counters counters,
      Listeners listeners,
      Runnable afterWrite) {
    this.listeners = listeners;
    this.writer = writer;
    this.afterWrite = afterWrite;
    this.config = config;
    this.counters = counters;
    this.log = config.logger();
    this.executor =
        Executors.newSingleThreadExecutor(
            new NamedThreads(
                "outbox-outcome-recorder-" + config.instanceId(), config.threadFactory()));
  }

  /** Called by the event processor's thread only. */
  void record(ClaimedBatch batch, List<Outcome> outcomes) {
    awaitWrites();
    writing = CompletableFuture.runAsync(() -> write(batch, outcomes), executor);
  }

  /** Failed writes are given up from now on (the dispatcher is stopping). */
  void stopRetrying() {
    retrying = false;
  }

  /** Waits until the outcomes handed over so far are written (or their write failed). */
  void awaitWrites() {
    try {
      writing.join();
    } catch (RuntimeException e) {
      // Already logged by write(); its events stay leased and come back as stuck events.
    }
  }

  private void write(ClaimedBatch batch, List<Outcome> outcomes) {
    long started = System.nanoTime();
    String owner = batch.lease().owner();
    OutcomeWriter.Recorded recorded;
    try {
      recorded = writeWhileLeased(batch, outcomes);
    } catch (RuntimeException e) {
      // Events a failed write gave back are waiting again: the processor need not wait to claim.
      afterWrite.run();
      throw e;
    }
    // A row left leased is not written: it has nothing to lose.
    long written = outcomes.stream().filter(o -> o.kind() != Outcome.Kind.LEFT_LEASED).count();
    if (recorded.rows() < written) {
      log.warn(
          "Lease {} was lost for {} of {} outcome(s), or an earlier try wrote them and its"
              + " acknowledgement was lost; the state in the table was kept",
          owner,
          written - recorded.rows(),
          written);
    }
    countAndLog(batch.events(), outcomes, recorded.failuresRecorded());
    afterWrite.run();
    log.debug("Batch {} recorded in {} ms", owner, (System.nanoTime() - started) / 1_000_000);
  }

  /** Writes the outcomes, trying again after a database failure until the lease is over. */
  private OutcomeWriter.Recorded writeWhileLeased(ClaimedBatch batch, List<Outcome> outcomes) {
    BatchLease lease = batch.lease();
    String owner = lease.owner();
    Instant leaseUntil = lease.until();
    GrowingPause pause = new GrowingPause(FIRST_RETRY_PAUSE, MAX_RETRY_PAUSE);
    FailureStreak failures = new FailureStreak();
    for (int attempt = 1; ; attempt++) {
      try {
        OutcomeWriter.Recorded recorded = writer.record(batch, outcomes, config.clock().instant());
        if (attempt == 1) {
          return recorded;
        }
        log.info("Recorded the outcomes of batch {} at attempt {}", owner, attempt);
        // After a failed try whose commit may have gone through, a row left alone may be one that
        // try wrote: its failure was recorded after all, and is told as such.
        return recorded.assumingEveryFailureRecorded(outcomes);
      } catch (OutboxDatabaseException e) {
        if (!lease.writeMayBeRetried()) {
          throw givenUp(attempt, batch, e);
        }
        Duration wait = pause.next();
        if (!retrying || config.clock().instant().plus(wait).isAfter(leaseUntil) || !sleep(wait)) {
          throw givenUp(attempt, batch, e);
        }
        // A database that is down fails every try until the lease ends: a line a minute.
        if (failures.add(1) || failures.reminderDue()) {
          log.warn(
              "Could not record the outcomes of batch {} (attempt {}); trying again until its"
                  + " lease ends at {}: {}",
              owner,
              attempt,
              leaseUntil,
              Redaction.text(e.getMessage()));
        }
      } catch (RuntimeException e) {
        throw givenUp(attempt, batch, e);
      }
    }
  }

  private RuntimeException givenUp(int attempts, ClaimedBatch batch, RuntimeException e) {
    batch.lease().reportWriteGivenUp(log, attempts, batch.size(), e);
    return e;
  }

  /** Returns false if interrupted (the dispatcher is closing). */
  private static boolean sleep(Duration wait) {
    try {
      TimeUnit.NANOSECONDS.sleep(wait.toNanos());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits (at most the shutdown timeout) for the last write and stops the thread. */
  @Override
  public void close() {
    try {
      writing.get(config.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "Outcomes still being written after {}; those events are taken back after the lease",
          config.shutdownTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Already logged by write().
    }
    executor.shutdownNow();
  }

  /**
   * Counts and logs what was published, and the failures that were recorded: a failure whose lease
   * was lost was not, and its new owner tells its own story.
   */
  private void countAndLog(
      List<ClaimedEvent> batch, List<Outcome> outcomes, Set<Long> failuresRecorded) {
    Map<Long, ClaimedEvent> byId = new HashMap<>();
    batch.forEach(e -> byId.put(e.id(), e));
    for (Outcome o : outcomes) {
      ClaimedEvent event =
          Objects.requireNonNull(byId.get(o.id()), "outcome of an event not in the batch");
      boolean failure = o.kind() == Outcome.Kind.RETRY || o.kind() == Outcome.Kind.FAILED;
      if (failure && !failuresRecorded.contains(o.id())) {
        continue;
      }
      switch (o.kind()) {
        case SENT -> {
          counters.published.increment();
          Instant acknowledgedAt = Objects.requireNonNull(o.acknowledgedAt(), "acknowledgedAt");
          listeners.published(
              event.record(), Duration.between(event.waitingSince(), acknowledgedAt));
          log.debug("Published event {} to {}", event.record().eventId(), event.record().topic());
        }
        case RETRY -> {
          counters.failedAttempts.increment();
          counters.retried.increment();
          listeners.failed(event.record(), String.valueOf(o.error()), false);
          log.warn(
              "Publishing event {} of {}/{} failed (attempt {} of {}); retry at {}: {}",
              event.record().eventId(),
              event.record().aggregateType(),
              event.record().aggregateId(),
              o.attempts(),
              config.maxAttempts(),
              o.nextAttemptAt(),
              o.error());
        }
        case FAILED -> {
          counters.failedAttempts.increment();
          counters.deadLettered.increment();
          listeners.failed(event.record(), String.valueOf(o.error()), true);
          log.error(
              "Event {} of {}/{} failed for good after {} attempt(s); it becomes a dead letter: {}",
              event.record().eventId(),
              event.record().aggregateType(),
              event.record().aggregateId(),
              o.attempts(),
              o.error());
        }
        case RELEASED, LEFT_LEASED -> {}
      }
    }
  }
}
