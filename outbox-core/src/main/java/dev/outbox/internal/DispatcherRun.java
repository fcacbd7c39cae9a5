package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import dev.outbox.DispatcherMetrics;
import dev.outbox.OutboxInspector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A dispatcher's workers from one start to the stop that follows: the event processor and the three
 * maintenance workers (dead letters, stuck events, cleanup). A dispatcher started again after a
 * stop runs a new one.
 */
public final class DispatcherRun {

  private static final Duration INTERRUPTED_PROCESSOR_GRACE = Duration.ofSeconds(1);

  private final DispatcherConfig config;
  private final Logger log;
  private final MaintenanceStore store;
  private final Maintenance maintenance;
  private final EventProcessor processor;
  private final Thread processorThread;
  private final List<PeriodicWorker> workers = new ArrayList<>();
  private volatile boolean stopped;

  /**
   * @param synchronizeClock measures the database's time again, before each stuck-event check
   */
  public DispatcherRun(
      EventClaimer claimer,
      OutcomeWriter writer,
      MaintenanceStore store,
      Runnable synchronizeClock,
      DispatcherConfig config,
      Counters counters,
      Listeners listeners) {
    this.config = config;
    this.log = config.logger();
    this.store = store;
    this.maintenance = new Maintenance(store, config, counters, listeners);
    this.processor =
        new EventProcessor(claimer, writer, config.publisher(), config, counters, listeners);
    this.processorThread =
        new NamedThreads("outbox-event-processor-" + config.instanceId(), config.threadFactory())
            .newThread(processor);
    workers.add(
        worker("dead-letter-processor", config.deadLetterInterval(), maintenance::moveDeadLetters));
    workers.add(
        worker(
            "stuck-event-processor",
            config.stuckCheckInterval(),
            () -> {
              // Leases are judged by the database's time: measure it first.
              synchronizeClock.run();
              maintenance.recoverStuckEvents();
            }));
    workers.add(worker("cleanup-processor", config.cleanupInterval(), maintenance::cleanUp));
  }

  private PeriodicWorker worker(String name, Duration interval, Runnable task) {
    return new PeriodicWorker(
        name,
        interval,
        task,
        new NamedThreads("outbox-" + name + "-" + config.instanceId(), config.threadFactory()),
        log);
  }

  public void start() {
    processorThread.start();
    workers.forEach(PeriodicWorker::start);
  }

  public void wakeUp() {
    processor.wakeUp();
  }

  /** The workers' state now, the event processor first. */
  public List<DispatcherMetrics.Worker> workers(long claims) {
    List<DispatcherMetrics.Worker> states = new ArrayList<>();
    states.add(worker("event-processor", processorThread.isAlive(), claims, processor.state()));
    for (PeriodicWorker w : workers) {
      states.add(worker(w.name(), !stopped && w.isRunning(), w.runs(), w.state()));
    }
    return states;
  }

  private static DispatcherMetrics.Worker worker(
      String name, boolean running, long runCount, WorkerState state) {
    WorkerState.Snapshot runs = state.snapshot();
    return DispatcherMetrics.Worker.of(name, running)
        .ran(runCount, runs.lastRunAt(), runs.lastError(), runs.failingSince());
  }

  /**
   * Stops in order: the drain (what is due is published, for at most the drain timeout), claiming,
   * the batch in hand (published and recorded), the maintenance workers. After the drain, each step
   * waits at most what is left of the shutdown timeout. The publisher stays open.
   *
   * @return whether the stop was interrupted; the workers are stopped all the same
   */
  public boolean stop() {
    stopped = true;
    maintenance.stop();
    boolean interrupted = false;
    @Nullable String cut;
    try {
      cut = drain();
    } catch (InterruptedException e) {
      interrupted = true;
      cut = "the stop was interrupted";
    }
    // Once the processor stops, nothing new is claimed or sent.
    processor.stop();
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    try {
      processorThread.join(Math.max(1, remainingMillis(deadline)));
      if (processorThread.isAlive()) {
        log.warn(
            "Event processor still publishing after {}; its events are taken back after the"
                + " stuck timeout (or at once, where its claim's transaction held them)",
            config.shutdownTimeout());
        processorThread.interrupt();
        // The publisher closes only once nothing can send through it any more.
        processorThread.join(INTERRUPTED_PROCESSOR_GRACE.toMillis());
      }
    } catch (InterruptedException e) {
      interrupted = true;
      log.warn("Interrupted while stopping the outbox dispatcher");
    } finally {
      // Also when interrupted: a worker left running would go on against a closed pool.
      interrupted |= stopWorkers(deadline);
      if (cut != null) {
        reportLeftBehind(cut, deadline);
      }
    }
    return interrupted;
  }

  /**
   * Publishes what is due before the processor stops, so that events committed before the stop (by
   * requests a web server drained first, say) go out now, not at the next start. Returns why the
   * drain did not finish, or null when it did (or there is none).
   */
  private @Nullable String drain() throws InterruptedException {
    Duration timeout = config.drainTimeout();
    if (timeout.isZero()) {
      return null;
    }
    try {
      EventProcessor.DrainEnd end = processor.drain().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (end == EventProcessor.DrainEnd.NOTHING_DUE) {
        log.debug("Published what was due before stopping");
        return null;
      }
      return end.toString();
    } catch (TimeoutException e) {
      return "the drain timeout (" + timeout + ") ran out";
    } catch (ExecutionException e) {
      return "the drain failed";
    }
  }

  /** Stops the periodic workers; returns whether the wait was interrupted. */
  private boolean stopWorkers(long deadline) {
    boolean interrupted = false;
    for (PeriodicWorker worker : workers) {
      try {
        Duration wait = Duration.ofMillis(interrupted ? 1 : Math.max(1, remainingMillis(deadline)));
        if (!worker.stop(wait)) {
          log.warn("Outbox {} did not stop in time", worker.name());
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return interrupted;
  }

  /**
   * Says what the stop left for the next start. The count is read within what is left of the
   * shutdown timeout: a database that stalls cannot hold up the stop.
   */
  private void reportLeftBehind(String cut, long deadline) {
    CompletableFuture<OutboxInspector.Backlog> count =
        CompletableFuture.supplyAsync(store::backlog);
    try {
      OutboxInspector.Backlog backlog =
          count.get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
      log.warn(
          "Stopping before everything due was published: {}. {} event(s) pending and {} to retry"
              + " are published after the next start",
          cut,
          backlog.pending(),
          backlog.retry());
    } catch (ExecutionException | TimeoutException e) {
      count.cancel(true);
      log.warn(
          "Stopping before everything due was published: {}. What is left is published after the"
              + " next start",
          cut);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long remainingMillis(long deadline) {
    return (deadline - System.nanoTime()) / 1_000_000;
  }
}
