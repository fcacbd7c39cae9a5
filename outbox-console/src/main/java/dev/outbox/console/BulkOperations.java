package dev.outbox.console;

import dev.outbox.DeadLetterChange;
import dev.outbox.Operator;
import dev.outbox.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Runs the bulk changes the page starts ({@link DeadLetterChange}, which decides what is done and
 * audits it) on a thread of their own, so the page can follow their progress. The last {@value
 * #KEPT} are kept for the page to ask about.
 */
final class BulkOperations implements AutoCloseable {

  static final int KEPT = 20;

  /** One bulk change, as it goes. */
  static final class Job implements DeadLetterChange.Listener {
    final String id = UUID.randomUUID().toString();
    final DeadLetterChange.Action action;
    final int total;
    final AtomicInteger done = new AtomicInteger();
    final AtomicInteger gone = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    volatile @Nullable String error;
    volatile boolean finished;

    Job(DeadLetterChange change) {
      this.action = change.action();
      this.total = change.count();
    }

    @Override
    public void acted(String eventId, DeadLetterChange.Outcome outcome, @Nullable String problem) {
      (switch (outcome) {
            case DONE -> done;
            case GONE -> gone;
            case REFUSED -> refused;
          })
          .incrementAndGet();
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

  /** Starts the change, confirmed already. */
  Job start(DeadLetterChange change, Operator operator) {
    Job job = new Job(change);
    synchronized (jobs) {
      jobs.put(job.id, job);
    }
    executor.execute(
        () -> {
          try {
            RuntimeException failure = change.run(operator, job).failure();
            if (failure != null) {
              job.error = Redaction.describe(failure);
            }
          } finally {
            job.finished = true;
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
