package dev.outbox.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Runs one maintenance task on its own thread at a fixed delay; a failed run is logged ({@link
 * WorkerFailures}) and the next run happens as scheduled.
 */
public final class PeriodicWorker {

  private final String name;
  private final Duration interval;
  private final Runnable task;
  private final ScheduledExecutorService executor;
  private final AtomicLong runs = new AtomicLong();
  private final WorkerState state = new WorkerState();
  private final WorkerFailures failures;

  public PeriodicWorker(
      String name, Duration interval, Runnable task, ThreadFactory threads, Logger log) {
    this.name = name;
    this.interval = interval;
    this.task = task;
    this.failures = new WorkerFailures("Outbox " + name, log);
    this.executor = Executors.newSingleThreadScheduledExecutor(threads);
  }

  public void start() {
    // Runs end by stop(); runOnce catches everything, so the future never holds an exception.
    var unused =
        executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void runOnce() {
    try {
      task.run();
      state.succeeded();
      failures.succeeded();
    } catch (Throwable e) {
      // A scheduled task that throws is never run again; this one must keep its schedule.
      state.failed(String.valueOf(e));
      failures.failed(e, interval);
    } finally {
      runs.incrementAndGet();
    }
  }

  /** Stops scheduling; a run in progress may finish within {@code timeout}. */
  public boolean stop(Duration timeout) throws InterruptedException {
    executor.shutdown();
    if (executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return true;
    }
    executor.shutdownNow();
    return false;
  }

  public String name() {
    return name;
  }

  public boolean isRunning() {
    return !executor.isShutdown();
  }

  public long runs() {
    return runs.get();
  }

  public WorkerState state() {
    return state;
  }
}
