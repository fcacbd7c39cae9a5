package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import dev.outbox.spi.Publisher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The event processor: claims a batch, publishes it, records each outcome, and goes again at once
 * while there is work. When a claim finds nothing it waits, unless woken: first 5 ms, doubling with
 * every empty claim up to the poll interval, so events committed soon after others do not wait a
 * whole poll interval, while an idle outbox is still polled only once per interval.
 *
 * <p>A batch is published by {@link PublishingRounds}, which reports what each publish came to;
 * {@link OutageJudge} tells whether the broker is down; {@link OutcomePolicy} alone decides each
 * event's outcome from those facts; {@link OutcomeRecorder} writes the outcomes under the batch's
 * {@link BatchLease} while the next batch goes out. After a claim that found work, the next claim
 * runs on a thread of its own while the batch is published, so the database and the broker work at
 * the same time. It cannot take what the batch holds, nor a later event of the batch's aggregates,
 * whose heads the batch holds. When the broker turns out to be down, or the processor stops, that
 * next batch goes back unpublished.
 */
public final class EventProcessor implements Runnable {

  private static final Duration FIRST_IDLE_PAUSE = Duration.ofMillis(5);
  private static final Duration FIRST_PROBE_PAUSE = Duration.ofMillis(250);

  /**
   * Bound on the wait after repeated failures of the processor itself (database down, a pooled
   * connection that stays broken). Growing waits also let a pool validate idle connections, which
   * it skips for connections handed out again at once.
   */
  private static final Duration MAX_FAILURE_PAUSE = Duration.ofSeconds(10);

  private final EventClaimer claimer;
  private final PublishingRounds rounds;
  private final OutageJudge outage;
  private final OutcomePolicy policy;
  private final DispatcherConfig config;
  private final Counters counters;
  private final Listeners listeners;
  private final Logger log;
  private final OutcomeRecorder recorder;
  private final Waiter waiter = new Waiter();
  private final AtomicLong claimSequence = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean draining;
  private final CompletableFuture<DrainEnd> drained = new CompletableFuture<>();

  /** Why a drain ended. */
  public enum DrainEnd {
    /** A claim made after the last outcomes were written found nothing due. */
    NOTHING_DUE("everything due was published"),
    /** Nothing can be published. */
    BROKER_UNAVAILABLE("the broker is unavailable"),
    /** A claim, a publish or a write failed; the next try would wait out a pause. */
    FAILED("the event processor failed"),
    /** {@link #stop()} came first, or the processor's thread was interrupted. */
    STOPPED("the event processor stopped");

    private final String description;

    DrainEnd(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private final WorkerState state = new WorkerState();
  private final GrowingPause idlePause;
  private final GrowingPause failurePause;
  private final WorkerFailures failures;
  private final ExecutorService claimThread;
  private @Nullable CompletableFuture<Claim> nextClaim;

  /** What a claim took, when it started, and how long it took. */
  private record Claim(ClaimedBatch batch, long startedNanos, Duration took) {}

  public EventProcessor(
      EventClaimer claimer,
      OutcomeWriter writer,
      Publisher publisher,
      DispatcherConfig config,
      Counters counters,
      Listeners listeners) {
    this.claimer = claimer;
    this.outage = new OutageJudge(publisher, config);
    this.rounds = new PublishingRounds(publisher, outage, config, () -> running);
    this.policy = new OutcomePolicy(config);
    this.config = config;
    this.counters = counters;
    this.log = config.logger();
    // What is due may wait behind the batch being written: each write wakes the processor, so
    // an empty claim that overlapped it is followed by another, not by the idle pause.
    this.recorder = new OutcomeRecorder(writer, config, counters, listeners, waiter::wake);
    this.listeners = listeners;
    this.idlePause =
        new GrowingPause(shorter(FIRST_IDLE_PAUSE, config.pollInterval()), config.pollInterval());
    this.failurePause = new GrowingPause(config.pollInterval(), MAX_FAILURE_PAUSE);
    this.failures = new WorkerFailures("Outbox event processor", log);
    this.claimThread =
        Executors.newSingleThreadExecutor(
            new NamedThreads(
                "outbox-event-processor-" + config.instanceId() + "-claims",
                config.threadFactory()));
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

  /**
   * Publishes what is due, then stops: claims go on, without pauses, until one finds nothing. The
   * stage completes then, or when the processor gives up first (the broker is unavailable, or the
   * processor failed), with why; {@link #stop()} still ends a drain that takes too long.
   */
  public CompletableFuture<DrainEnd> drain() {
    draining = true;
    waiter.wake();
    return drained;
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
      drained.complete(DrainEnd.STOPPED);
      try {
        giveBackNextClaim();
      } finally {
        claimThread.shutdown();
        recorder.close();
      }
    }
  }

  private void loop() {
    boolean claimedAfterWrites = false;
    while (running) {
      Duration pause;
      try {
        int claimed = processBatch();
        state.succeeded();
        failurePause.reset();
        failures.succeeded();
        if (draining && outage.brokerDown()) {
          drained.complete(DrainEnd.BROKER_UNAVAILABLE);
          break;
        }
        if (draining && claimed == 0) {
          if (claimedAfterWrites) {
            drained.complete(DrainEnd.NOTHING_DUE);
            break;
          }
          // A claim made while the last batch was published, or before its outcomes were
          // written, cannot take that batch's aggregates: only a claim made after proves that
          // nothing is due.
          recorder.awaitWrites();
          claimedAfterWrites = true;
          continue;
        }
        claimedAfterWrites = false;
        if (outage.brokerDown()) {
          if (!awaitBroker()) {
            drained.complete(DrainEnd.BROKER_UNAVAILABLE);
            break;
          }
          pause = Duration.ZERO;
        } else if (claimed > 0) {
          pause = outage.pause();
          if (pause.isZero()) {
            // Work, not a batch given back to an outage: events may be coming, look again soon.
            idlePause.reset();
          }
        } else {
          pause = idlePause.next();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Throwable e) {
        // Whatever a publisher or driver throws, the processor must live on: its claimed events
        // go back at once where the claim's transaction held them, else after their lease.
        pause = failurePause.next();
        state.failed(String.valueOf(e));
        failures.failed(e, pause);
      }
      if (!running) {
        break;
      }
      if (draining && !pause.isZero()) {
        // A drain goes on while claims find work; a pause (after a failure, or while the broker
        // looks down to a publisher that cannot tell) ends it.
        drained.complete(
            failurePause.current().isZero() ? DrainEnd.BROKER_UNAVAILABLE : DrainEnd.FAILED);
        break;
      }
      if (pause.isZero()) {
        continue;
      }
      giveBackNextClaim();
      try {
        await(pause, !failurePause.current().isZero());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  /**
   * Claims nothing while the broker is down: asks the publisher again and again, the pauses growing
   * up to {@link OutageJudge#MAX_PROBE_PAUSE}, so the backlog drains within seconds of its return.
   * Only {@link #stop()} or a {@link #drain()} cuts a pause short (nothing can be published to
   * drain); commits waking the processor would only hammer a broker that is down. Returns whether
   * the broker is back.
   */
  private boolean awaitBroker() throws InterruptedException {
    GrowingPause probePause =
        new GrowingPause(
            shorter(FIRST_PROBE_PAUSE, config.pollInterval()), OutageJudge.MAX_PROBE_PAUSE);
    giveBackNextClaim();
    while (running && !draining) {
      if (outage.brokerBack()) {
        state.succeeded();
        return true;
      }
      state.failed(outage.describe());
      await(probePause.next(), true);
    }
    return false;
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** How its claims (and the publishing of what they found) went. */
  public WorkerState state() {
    return state;
  }

  /**
   * Waits for the pause, cut short by a wake-up; after a failure only by {@link #stop()} or {@link
   * #drain()}, so an application waking the processor on every commit cannot make it hammer a
   * failing database.
   */
  private void await(Duration pause, boolean afterFailure) throws InterruptedException {
    long deadline = System.nanoTime() + pause.toNanos();
    do {
      waiter.await(Duration.ofNanos(deadline - System.nanoTime()));
    } while (afterFailure && running && !draining && System.nanoTime() < deadline);
  }

  /**
   * Claims and publishes one batch, then hands its outcomes to the recorder; the next batch is
   * claimed while this one is published, and published while its outcomes are written.
   */
  int processBatch() {
    Claim claim = takeNextClaim();
    ClaimedBatch batch = claim.batch();
    if (batch.isEmpty()) {
      return 0;
    }
    counters.claims.increment();
    listeners.claimed(batch.size(), claim.took());
    long publishing = System.nanoTime();
    List<Outcome> outcomes;
    try {
      nextClaim = CompletableFuture.supplyAsync(this::claimUnlessStopped, claimThread);
      PublishReport report = rounds.publish(batch.events(), claim.startedNanos());
      outcomes = policy.published(batch.events(), report, outage.outageGuessedFrom(report));
    } catch (RuntimeException | Error e) {
      // Rows held by the claim's transaction go back to waiting at once; leased ones after the
      // lease.
      batch.close();
      throw e;
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "Batch {} of {} event(s): claimed in {} ms, published in {} ms",
          batch.lease().owner(),
          batch.size(),
          claim.took().toMillis(),
          (System.nanoTime() - publishing) / 1_000_000);
    }
    recorder.record(batch, outcomes);
    return batch.size();
  }

  private Claim claim() {
    String owner = config.instanceId() + ":" + claimSequence.incrementAndGet();
    long started = System.nanoTime();
    Instant now = config.clock().instant();
    Instant leaseUntil = now.plus(config.stuckTimeout());
    ClaimedBatch batch = claimer.claim(owner, now, leaseUntil, config.batchSize());
    return new Claim(batch, started, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * A dispatcher closed while publishing returns once its shutdown timeout has passed; from then on
   * nothing more is claimed.
   */
  private Claim claimUnlessStopped() {
    if (!running) {
      return new Claim(ClaimedBatch.empty(), System.nanoTime(), Duration.ZERO);
    }
    return claim();
  }

  /** The claim made while the last batch was published, or a claim made now. */
  private Claim takeNextClaim() {
    CompletableFuture<Claim> next = nextClaim;
    if (next == null) {
      return claim();
    }
    nextClaim = null;
    try {
      return next.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  /**
   * Gives back, unpublished and uncounted, what was claimed while the last batch was published: the
   * processor is pausing (the broker is down, or there was nothing more) or stopping.
   */
  private void giveBackNextClaim() {
    CompletableFuture<Claim> next = nextClaim;
    if (next == null) {
      return;
    }
    nextClaim = null;
    Claim claim;
    try {
      claim = next.join();
    } catch (CompletionException e) {
      log.debug("The claim made while the last batch was published failed", e.getCause());
      return;
    }
    ClaimedBatch batch = claim.batch();
    if (batch.isEmpty()) {
      return;
    }
    log.debug(
        "Batch {} of {} event(s) given back unpublished", batch.lease().owner(), batch.size());
    batch.lease().giveBack(() -> recorder.record(batch, policy.givenBack(batch.events())));
  }
}
