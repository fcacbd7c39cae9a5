package dev.outbox.console;

import dev.outbox.DeadLetter;
import dev.outbox.DispatcherMetrics;
import dev.outbox.OutboxInspector.Backlog;
import dev.outbox.OutboxInspector.HeldAggregate;
import dev.outbox.OutboxInspector.Lease;
import dev.outbox.OutboxInspector.UnsentEvent;
import dev.outbox.Redaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the console's API answers, as JSON; instants as ISO-8601 text. */
final class ConsoleViews {

  private ConsoleViews() {}

  /**
   * @param signIn the ways to sign in the console is configured with: {@code token}, {@code basic}
   * @param anonymousRead whether reading needs no sign-in; the page asks for one first otherwise
   */
  record Session(
      boolean authenticated, @Nullable String user, List<String> signIn, boolean anonymousRead) {}

  /**
   * @param tablesError why the tables could not be read at the last sample, or {@code null}
   * @param held the longest held aggregates, {@link ConsoleHistory#HELD_SHOWN} at most
   * @param heldTotal how many aggregates are held, listed in {@code held} or not
   * @param history the samples of the last minutes, oldest first
   */
  record Overview(
      String now,
      boolean running,
      String instanceId,
      String deadLetterPolicy,
      @Nullable BacklogView backlog,
      @Nullable Long oldestWaitingAgeMillis,
      String tablesReadAt,
      @Nullable String tablesError,
      long published,
      List<WorkerView> workers,
      List<LeaseView> leases,
      List<HeldView> held,
      long heldTotal,
      long sampleIntervalMillis,
      List<SampleView> history) {}

  record BacklogView(
      long unsent, long pending, long retry, long processing, long failed, long deadLetters) {
    static @Nullable BacklogView of(@Nullable Backlog backlog) {
      return backlog == null
          ? null
          : new BacklogView(
              backlog.unsent(),
              backlog.pending(),
              backlog.retry(),
              backlog.processing(),
              backlog.failed(),
              backlog.deadLetters());
    }
  }

  /**
   * @param state {@code running}, {@code failing} (its last run failed) or {@code stopped}
   */
  record WorkerView(
      String name,
      String state,
      long runs,
      @Nullable String lastRunAt,
      @Nullable String lastError,
      @Nullable String failingSince) {
    static WorkerView of(DispatcherMetrics.Worker worker) {
      String state =
          !worker.running() ? "stopped" : worker.lastError() != null ? "failing" : "running";
      return new WorkerView(
          worker.name(),
          state,
          worker.runs(),
          text(worker.lastRunAt()),
          Redaction.text(worker.lastError()),
          text(worker.failingSince()));
    }
  }

  record LeaseView(@Nullable String owner, long events, @Nullable String until, boolean expired) {
    static LeaseView of(Lease lease, Instant now) {
      Instant until = lease.until();
      return new LeaseView(
          lease.owner(), lease.events(), text(until), until != null && until.isBefore(now));
    }
  }

  record HeldView(
      String aggregateType,
      String aggregateId,
      long waitingEvents,
      @Nullable String oldestWaitingCreatedAt) {
    static HeldView of(HeldAggregate held) {
      return new HeldView(
          held.aggregateType(),
          held.aggregateId(),
          held.waitingEvents(),
          text(held.oldestWaitingCreatedAt()));
    }
  }

  /**
   * @param backlog at the sample's time, or {@code null} if it could not be read
   * @param p50Millis and the others: of the publishes during the interval, {@code null} if none
   */
  record SampleView(
      String at,
      @Nullable BacklogView backlog,
      double publishedPerSecond,
      @Nullable Double p50Millis,
      @Nullable Double p99Millis,
      @Nullable Double maxMillis) {
    static SampleView of(ConsoleHistory.Sample sample) {
      LatencyHistogram.Summary latency = sample.latency();
      return new SampleView(
          sample.at().toString(),
          BacklogView.of(sample.backlog()),
          sample.publishedPerSecond(),
          latency == null ? null : latency.p50(),
          latency == null ? null : latency.p99(),
          latency == null ? null : latency.max());
    }
  }

  record DeadLetterRow(
      long id,
      String eventId,
      String eventType,
      String aggregateType,
      String aggregateId,
      String topic,
      int attempts,
      @Nullable String lastError,
      String createdAt,
      String deadLetteredAt) {
    static DeadLetterRow of(DeadLetter letter) {
      return new DeadLetterRow(
          letter.id(),
          letter.eventId(),
          letter.eventType(),
          letter.aggregateType(),
          letter.aggregateId(),
          letter.topic(),
          letter.attempts(),
          Redaction.text(letter.lastError()),
          letter.createdAt().toString(),
          letter.deadLetteredAt().toString());
    }
  }

  /**
   * @param nextAfterId asks for the next page, or {@code null} if this is the last
   */
  record DeadLetterPage(List<DeadLetterRow> items, @Nullable Long nextAfterId) {}

  /**
   * @param contentShown whether the payload and headers are shown: only to a signed-in user
   */
  record DeadLetterDetail(
      DeadLetterRow deadLetter,
      boolean contentShown,
      @Nullable String payload,
      @Nullable Map<String, String> headers,
      @Nullable String traceparent) {}

  record UnsentEventView(
      String eventId,
      String eventType,
      String status,
      int attempts,
      @Nullable String createdAt,
      @Nullable String lastError) {
    static UnsentEventView of(UnsentEvent event) {
      return new UnsentEventView(
          event.eventId(),
          event.eventType(),
          event.status().name().toLowerCase(java.util.Locale.ROOT),
          event.attempts(),
          text(event.createdAt()),
          Redaction.text(event.lastError()));
    }
  }

  /**
   * @param refused replays refused because the outbox holds an event with that id again
   * @param error why the job stopped early, or {@code null}
   */
  record JobView(
      String id,
      String action,
      int total,
      int done,
      int gone,
      int refused,
      boolean finished,
      @Nullable String error) {
    static JobView of(BulkOperations.Job job) {
      return new JobView(
          job.id,
          job.action.name().toLowerCase(java.util.Locale.ROOT),
          job.total,
          job.done.get(),
          job.gone.get(),
          job.refused.get(),
          job.finished,
          job.error);
    }
  }

  record Count(long count) {}

  record Done(String message) {}

  record Problem(String error) {}

  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
