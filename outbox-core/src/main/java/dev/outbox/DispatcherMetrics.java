package dev.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a dispatcher: its state, its workers, its configuration, the backlog in
 * the database and the running totals since it started. A class rather than a record, so that it
 * can gain figures without breaking the code that reads it; {@link #builder()} makes one for a test
 * of such code.
 */
public final class DispatcherMetrics {

  private final boolean running;
  private final List<Worker> workers;
  private final Map<String, String> config;
  private final long pending;
  private final long retry;
  private final long processing;
  private final long failed;
  private final long deadLetters;
  private final @Nullable Duration oldestWaitingAge;
  private final long published;
  private final long retried;
  private final long deadLettered;
  private final long failedAttempts;
  private final long recoveredStuck;

  private DispatcherMetrics(Builder b) {
    this.running = b.running;
    this.workers = List.copyOf(b.workers);
    this.config = Map.copyOf(b.config);
    this.pending = b.pending;
    this.retry = b.retry;
    this.processing = b.processing;
    this.failed = b.failed;
    this.deadLetters = b.deadLetters;
    this.oldestWaitingAge = b.oldestWaitingAge;
    this.published = b.published;
    this.retried = b.retried;
    this.deadLettered = b.deadLettered;
    this.failedAttempts = b.failedAttempts;
    this.recoveredStuck = b.recoveredStuck;
  }

  /**
   * {@return a builder of metrics, every figure zero until set: for tests of code that reads them}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return whether the dispatcher is started and not stopped} */
  public boolean running() {
    return running;
  }

  /** {@return its workers and their state, the event processor first} */
  public List<Worker> workers() {
    return workers;
  }

  /** {@return the effective configuration, by option name} */
  public Map<String, String> config() {
    return config;
  }

  /** {@return events waiting for their first attempt} */
  public long pending() {
    return pending;
  }

  /** {@return events waiting for another attempt} */
  public long retry() {
    return retry;
  }

  /** {@return events claimed and being published, by any dispatcher} */
  public long processing() {
    return processing;
  }

  /** {@return events that failed for good and wait to be moved to the dead letters} */
  public long failed() {
    return failed;
  }

  /** {@return the rows in the dead-letters table} */
  public long deadLetters() {
    return deadLetters;
  }

  /**
   * Age of the oldest pending or retry event, counted from its replay for a replayed one, or {@code
   * null} if none.
   *
   * @return the age, or {@code null}
   */
  public @Nullable Duration oldestWaitingAge() {
    return oldestWaitingAge;
  }

  /** {@return events acknowledged by the broker, since the dispatcher was built} */
  public long published() {
    return published;
  }

  /** {@return the failed attempts that scheduled a retry, since the dispatcher was built} */
  public long retried() {
    return retried;
  }

  /** {@return events that failed for good, stuck events out of attempts included} */
  public long deadLettered() {
    return deadLettered;
  }

  /** {@return the failed publish attempts of every kind, since the dispatcher was built} */
  public long failedAttempts() {
    return failedAttempts;
  }

  /** {@return events whose lease expired and were taken back} */
  public long recoveredStuck() {
    return recoveredStuck;
  }

  /** {@return events not yet sent nor dead-lettered} */
  public long backlog() {
    return pending + retry + processing + failed;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DispatcherMetrics m
        && running == m.running
        && workers.equals(m.workers)
        && config.equals(m.config)
        && pending == m.pending
        && retry == m.retry
        && processing == m.processing
        && failed == m.failed
        && deadLetters == m.deadLetters
        && Objects.equals(oldestWaitingAge, m.oldestWaitingAge)
        && published == m.published
        && retried == m.retried
        && deadLettered == m.deadLettered
        && failedAttempts == m.failedAttempts
        && recoveredStuck == m.recoveredStuck;
  }

  @Override
  public int hashCode() {
    return Objects.hash(running, workers, pending, retry, processing, failed, deadLetters);
  }

  @Override
  public String toString() {
    return "DispatcherMetrics[running="
        + running
        + ", pending="
        + pending
        + ", retry="
        + retry
        + ", processing="
        + processing
        + ", failed="
        + failed
        + ", deadLetters="
        + deadLetters
        + ", oldestWaitingAge="
        + oldestWaitingAge
        + ", published="
        + published
        + ", workers="
        + workers
        + "]";
  }

  /** Builds {@link DispatcherMetrics}; every figure is zero, and the lists empty, until set. */
  public static final class Builder {
    private boolean running;
    private List<Worker> workers = List.of();
    private Map<String, String> config = Map.of();
    private long pending;
    private long retry;
    private long processing;
    private long failed;
    private long deadLetters;
    private @Nullable Duration oldestWaitingAge;
    private long published;
    private long retried;
    private long deadLettered;
    private long failedAttempts;
    private long recoveredStuck;

    private Builder() {}

    /**
     * See {@link DispatcherMetrics#running()}.
     *
     * @param running the new value
     * @return this builder
     */
    public Builder running(boolean running) {
      this.running = running;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#workers()}.
     *
     * @param workers the new value
     * @return this builder
     */
    public Builder workers(List<Worker> workers) {
      this.workers = workers;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#config()}.
     *
     * @param config the new value
     * @return this builder
     */
    public Builder config(Map<String, String> config) {
      this.config = config;
      return this;
    }

    /**
     * The backlog by status: pending, retry, processing, failed.
     *
     * @param pending events saved and never attempted
     * @param retry events waiting for another attempt
     * @param processing events claimed and being published
     * @param failed events failed for good, not yet moved to the dead letters
     * @return this builder
     */
    public Builder backlog(long pending, long retry, long processing, long failed) {
      this.pending = pending;
      this.retry = retry;
      this.processing = processing;
      this.failed = failed;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#deadLetters()}.
     *
     * @param deadLetters the new value
     * @return this builder
     */
    public Builder deadLetters(long deadLetters) {
      this.deadLetters = deadLetters;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#oldestWaitingAge()}.
     *
     * @param oldestWaitingAge the new value
     * @return this builder
     */
    public Builder oldestWaitingAge(@Nullable Duration oldestWaitingAge) {
      this.oldestWaitingAge = oldestWaitingAge;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#published()}.
     *
     * @param published the new value
     * @return this builder
     */
    public Builder published(long published) {
      this.published = published;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#retried()}.
     *
     * @param retried the new value
     * @return this builder
     */
    public Builder retried(long retried) {
      this.retried = retried;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#deadLettered()}.
     *
     * @param deadLettered the new value
     * @return this builder
     */
    public Builder deadLettered(long deadLettered) {
      this.deadLettered = deadLettered;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#failedAttempts()}.
     *
     * @param failedAttempts the new value
     * @return this builder
     */
    public Builder failedAttempts(long failedAttempts) {
      this.failedAttempts = failedAttempts;
      return this;
    }

    /**
     * See {@link DispatcherMetrics#recoveredStuck()}.
     *
     * @param recoveredStuck the new value
     * @return this builder
     */
    public Builder recoveredStuck(long recoveredStuck) {
      this.recoveredStuck = recoveredStuck;
      return this;
    }

    /** {@return the snapshot} */
    public DispatcherMetrics build() {
      return new DispatcherMetrics(this);
    }
  }

  /**
   * One of the dispatcher's workers. A class rather than a record, so that it can gain fields
   * without breaking the code that reads it.
   */
  public static final class Worker {
    private final String name;
    private final boolean running;
    private final long runs;
    private final @Nullable Instant lastRunAt;
    private final @Nullable String lastError;
    private final @Nullable Instant failingSince;

    private Worker(
        String name,
        boolean running,
        long runs,
        @Nullable Instant lastRunAt,
        @Nullable String lastError,
        @Nullable Instant failingSince) {
      this.name = Objects.requireNonNull(name, "name");
      this.running = running;
      this.runs = runs;
      this.lastRunAt = lastRunAt;
      this.lastError = lastError;
      this.failingSince = failingSince;
    }

    /**
     * A worker that has not run yet; {@link #ran} adds what its runs were.
     *
     * @param name the worker's name, such as {@code event-processor}
     * @param running whether it runs now
     * @return the worker's state
     */
    public static Worker of(String name, boolean running) {
      return new Worker(name, running, 0, null, null, null);
    }

    /**
     * This worker after {@code runs} runs.
     *
     * @param lastRunAt when its last run ended, well or not
     * @param lastError the error of its last run, or {@code null} if that run went well
     * @param failingSince when the failures that go on now began, or {@code null} if its last run
     *     went well
     * @param runs how many runs it has made
     * @return a copy of this state with these runs
     */
    public Worker ran(
        long runs,
        @Nullable Instant lastRunAt,
        @Nullable String lastError,
        @Nullable Instant failingSince) {
      return new Worker(name, running, runs, lastRunAt, lastError, failingSince);
    }

    /**
     * {@return the worker's name: {@code event-processor}, {@code dead-letter-processor}, {@code
     * stuck-event-processor}…}
     */
    public String name() {
      return name;
    }

    /** {@return whether it runs now} */
    public boolean running() {
      return running;
    }

    /** {@return how often it ran: claims with events, for the event processor} */
    public long runs() {
      return runs;
    }

    /** {@return when its last run ended, well or not; {@code null} before its first} */
    public @Nullable Instant lastRunAt() {
      return lastRunAt;
    }

    /** {@return the error of its last run, or {@code null} if that run went well} */
    public @Nullable String lastError() {
      return lastError;
    }

    /**
     * {@return when the failures that go on now began, or {@code null} if its last run went well}
     */
    public @Nullable Instant failingSince() {
      return failingSince;
    }

    /**
     * Whether its runs have failed, without a success between, from its first failure to its last
     * run for at least {@code duration}: a worker that keeps failing, not one whose single run
     * failed (an hourly worker's would otherwise count for the hour until its next).
     *
     * @param duration how long it must have been failing
     * @return {@code true} if it has failed for at least that long
     */
    public boolean failingFor(Duration duration) {
      Instant since = failingSince;
      Instant last = lastRunAt;
      return since != null && last != null && !since.plus(duration).isAfter(last);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Worker w
          && name.equals(w.name)
          && running == w.running
          && runs == w.runs
          && Objects.equals(lastRunAt, w.lastRunAt)
          && Objects.equals(lastError, w.lastError)
          && Objects.equals(failingSince, w.failingSince);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, running, runs, lastRunAt);
    }

    @Override
    public String toString() {
      return "Worker[" + name + (running ? ", running" : "") + ", runs=" + runs + "]";
    }
  }
}
