package dev.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a dispatcher: its state, its workers, its configuration, the backlog in
 * the database and the running totals since it started.
 *
 * @param running whether the dispatcher is started and not closed
 * @param workers the four workers and their state
 * @param config the effective configuration
 * @param pending events waiting for their first attempt
 * @param retry events waiting for another attempt
 * @param processing events claimed and being published (by any dispatcher)
 * @param failed events that failed for good and wait to be moved to the dead letters
 * @param deadLetters rows in the dead-letter table
 * @param oldestWaitingAge age of the oldest pending or retry event, counted from its replay for a
 *     replayed one, or {@code null} if none
 * @param published events acknowledged by the broker
 * @param retried failed attempts that scheduled a retry
 * @param deadLettered events that failed for good (including stuck events out of attempts)
 * @param failedAttempts failed publish attempts of every kind
 * @param recoveredStuck events whose lease expired and were taken back
 */
public record DispatcherMetrics(
    boolean running,
    List<Worker> workers,
    Map<String, String> config,
    long pending,
    long retry,
    long processing,
    long failed,
    long deadLetters,
    @Nullable Duration oldestWaitingAge,
    long published,
    long retried,
    long deadLettered,
    long failedAttempts,
    long recoveredStuck) {

  /**
   * One of the dispatcher's workers.
   *
   * @param lastRunAt when its last run ended, well or not
   * @param lastError the error of its last run, or {@code null} if that run went well
   * @param failingSince when the failures that go on now began, or {@code null} if its last run
   *     went well
   */
  public record Worker(
      String name,
      boolean running,
      long runs,
      @Nullable Instant lastRunAt,
      @Nullable String lastError,
      @Nullable Instant failingSince) {

    /**
     * Whether its runs have failed, without a success between, from its first failure to its last
     * run for at least {@code duration}: a worker that keeps failing, not one whose single run
     * failed (an hourly worker's would otherwise count for the hour until its next).
     */
    public boolean failingFor(Duration duration) {
      Instant since = failingSince;
      Instant last = lastRunAt;
      return since != null && last != null && !since.plus(duration).isAfter(last);
    }
  }

  /** Events not yet sent nor dead-lettered. */
  public long backlog() {
    return pending + retry + processing + failed;
  }
}
