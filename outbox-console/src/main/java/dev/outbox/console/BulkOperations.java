package dev.outbox.console;

import dev.outbox.DeadLetters;
import dev.outbox.DuplicateEventException;
import dev.outbox.console.internal.Failures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Replays and purges of many dead letters, one at a time on a thread of their own, so the page can
 * show their progress. The last {@value #KEPT} are kept for the page to ask about.
 */
final class BulkOperations implements AutoCloseable {

  static final int KEPT = 20;

  /** What a bulk operation does to one dead letter. */
  enum Action {
    REPLAY("replayed"),
    PURGE("purged");

    final String done;

    Action(String done) {
      this.done = done;
    }

    boolean apply(DeadLetters deadLetters, String eventId) {
      return this == REPLAY ? deadLetters.replay(eventId) : deadLetters.purge(eventId);
    }
  }

  /** One bulk operation, as it goes. */
  static final class Job {
    final String id = UUID.randomUUID().toString();
    final Action action;
    final int total;
    final AtomicInteger done = new AtomicInteger();
    final AtomicInteger gone = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    volatile @Nullable String error;
    volatile boolean finished;

    Job(Action action, int total) {
      this.action = action;
      this.total = total;
    }
  }

  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "outbox-console-bulk");
            thread.setDaemon(true);
            return thread;
          });
  private final Map<String, Job> jobs =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
          return size() > KEPT;
        }
      };

  /**
   * Starts acting on these dead letters, and tells {@code finished} when it is over. A dead letter
   * that is gone meanwhile is counted and passed; one whose replay finds its event id in the outbox
   * again is counted as refused and passed; a database failure ends the job.
   */
  Job start(Action action, DeadLetters deadLetters, List<String> eventIds, Consumer<Job> finished) {
    Job job = new Job(action, eventIds.size());
    synchronized (jobs) {
      jobs.put(job.id, job);
    }
    executor.execute(
        () -> {
          try {
            for (String eventId : eventIds) {
              try {
                (action.apply(deadLetters, eventId) ? job.done : job.gone).incrementAndGet();
              } catch (DuplicateEventException e) {
                job.refused.incrementAndGet();
              }
            }
          } catch (RuntimeException e) {
            job.error = Failures.describe(e);
          } finally {
            job.finished = true;
            finished.accept(job);
          }
        });
    return job;
  }

  Optional<Job> find(String id) {
    synchronized (jobs) {
      return Optional.ofNullable(jobs.get(id));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
