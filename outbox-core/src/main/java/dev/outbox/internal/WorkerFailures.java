package dev.outbox.internal;

import dev.outbox.OutboxDatabaseException;
import dev.outbox.Redaction;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;

/**
 * The log of a worker whose runs fail one after the other, a database that is down being the usual
 * cause: a WARN when the failures start, one a minute while they last, an INFO once a run works
 * again. A failure that is not the database's is unexpected: the first of each kind in a streak is
 * an ERROR with its stack trace. Every failure is at DEBUG, with its stack trace. Called by the
 * worker's thread only.
 */
final class WorkerFailures {

  private final String worker;
  private final Logger log;
  private final FailureStreak streak = new FailureStreak();
  private final Set<Class<?>> unexpectedKinds = new HashSet<>();

  /**
   * @param worker the worker as the log names it, e.g. {@code "Outbox cleanup-processor"}
   */
  WorkerFailures(String worker, Logger log) {
    this.worker = worker;
    this.log = log;
  }

  /** A run failed; the worker tries again after {@code pause}. */
  void failed(Throwable e, Duration pause) {
    boolean starts = streak.add(1);
    if (!(e instanceof OutboxDatabaseException) && unexpectedKinds.add(e.getClass())) {
      // The first of its kind in a streak keeps its stack trace, a database outage or not.
      log.error("{} failed; next run in {}", worker, pause, e);
    } else if (starts) {
      log.warn(
          "{} failed: {}; next run in {}, a line a minute until it works again",
          worker,
          Redaction.text(e.getMessage()),
          pause);
    } else if (streak.reminderDue()) {
      log.warn(
          "{} still failing after {} ({} failed runs); last error: {}",
          worker,
          streak.length(),
          streak.count(),
          Redaction.mask(e.toString()));
    }
    log.debug("{} failed; next run in {}", worker, pause, e);
  }

  /** A run worked: the end of a streak of failures, if there was one. */
  void succeeded() {
    if (streak.active()) {
      log.info("{} works again after {} ({} failed runs)", worker, streak.length(), streak.count());
      streak.end();
      unexpectedKinds.clear();
    }
  }
}
