package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
final class OutcomeRecorder implements AutoCloseable {

  private final EventStore store;
  private final Runnable afterWrite;
  private final DispatcherConfig config;
  private final Counters counters;
  private final Logger log;
  private final ExecutorService executor;
  private CompletableFuture<Void> writing = CompletableFuture.completedFuture(null);

  OutcomeRecorder(
      EventStore store, DispatcherConfig config, Counters counters, Runnable afterWrite) {
    this.store = store;
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
  void record(String owner, List<ClaimedEvent> batch, List<Outcome> outcomes) {
    awaitPrevious();
    writing = CompletableFuture.runAsync(() -> write(owner, batch, outcomes), executor);
  }

  private void awaitPrevious() {
    try {
      writing.join();
    } catch (RuntimeException e) {
      // Already logged by write(); its events stay leased and come back as stuck events.
    }
  }

  private void write(String owner, List<ClaimedEvent> batch, List<Outcome> outcomes) {
    long started = System.nanoTime();
    try {
      int updated = store.record(owner, outcomes, config.clock().instant());
      if (updated < outcomes.size()) {
        log.warn(
            "Lease {} was lost for {} of {} outcome(s); a newer owner's state was kept",
            owner,
            outcomes.size() - updated,
            outcomes.size());
      }
    } catch (RuntimeException e) {
      log.error(
          "Could not record the outcomes of batch {}; its events are taken back after the lease",
          owner,
          e);
      throw e;
    }
    countAndLog(batch, outcomes);
    afterWrite.run();
    log.debug("Batch {} recorded in {} ms", owner, (System.nanoTime() - started) / 1_000_000);
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

  private void countAndLog(List<ClaimedEvent> batch, List<Outcome> outcomes) {
    Map<Long, ClaimedEvent> byId = new HashMap<>();
    batch.forEach(e -> byId.put(e.id(), e));
    for (Outcome o : outcomes) {
      ClaimedEvent event = byId.get(o.id());
      switch (o.kind()) {
        case SENT -> {
          counters.published.increment();
          log.debug("Published event {} to {}", event.record().eventId(), event.record().topic());
        }
        case RETRY -> {
          counters.failedAttempts.increment();
          counters.retried.increment();
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
          log.error(
              "Event {} of {}/{} failed for good after {} attempt(s); it becomes a dead letter: {}",
              event.record().eventId(),
              event.record().aggregateType(),
              event.record().aggregateId(),
              o.attempts(),
              o.error());
        }
        case RELEASED -> {}
      }
    }
  }
}
