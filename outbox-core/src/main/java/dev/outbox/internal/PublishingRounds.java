package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import dev.outbox.spi.Publication;
import dev.outbox.spi.Publisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Publishes a claimed batch in rounds: round k sends the k-th event of every aggregate still going,
 * and waits for their acknowledgements. Events of one aggregate thus go one after the other, the
 * next only once the previous one is acknowledged, so no publisher can reorder them, while
 * different aggregates go in parallel. When an event fails, the later events of its aggregate are
 * not attempted. After a round with retriable failures the {@link OutageJudge} is asked whether the
 * broker is down; if it is, the rest of the batch is not sent. What each publish came to goes into
 * a {@link PublishReport}, as facts: the {@link OutcomePolicy} decides what becomes of the events.
 *
 * <p>Acknowledgements are awaited up to three quarters of the lease from the claim; the last
 * quarter is kept for writing the outcomes while the batch is still leased. A round, the first one
 * included, starts only while the publisher's {@linkplain Publisher#publishTimeLimit() longest
 * publish} still fits before then. The builder holds the lease to at least twice that publish, so
 * rounds may start during at least the first quarter of the lease. A publish the publisher still
 * holds queued when no round may start any more is withdrawn if the publisher can ({@link
 * Publication#withdraw()}), like the events no round reached it is no attempt: handed to the
 * broker's client later, it could outlast the lease. One already with the client is answered within
 * its longest publish, so by the deadline.
 */
final class PublishingRounds {

  private final Publisher publisher;
  private final OutageJudge outage;
  private final long longestPublishNanos;
  private final DispatcherConfig config;
  private final BooleanSupplier running;
  private final Logger log;

  PublishingRounds(
      Publisher publisher, OutageJudge outage, DispatcherConfig config, BooleanSupplier running) {
    this.publisher = publisher;
    this.outage = outage;
    this.longestPublishNanos =
        publisher.publishTimeLimit().map(bound -> bound.limit().toNanos()).orElse(0L);
    this.config = config;
    this.running = running;
    this.log = config.logger();
  }

  /**
   * Publishes round by round: round k sends the k-th event of every aggregate still going. The time
   * allowed counts from {@code claimedNanos} ({@link System#nanoTime}), when the claim was made: a
   * batch claimed while the previous one was published has waited part of its lease.
   */
  PublishReport publish(List<ClaimedEvent> batch, long claimedNanos) {
    Map<String, List<ClaimedEvent>> byAggregate = new LinkedHashMap<>();
    for (ClaimedEvent event : batch) {
      byAggregate.computeIfAbsent(event.aggregateKey(), k -> new ArrayList<>()).add(event);
    }
    PublishReport report = new PublishReport(config.clock());
    long deadline = acknowledgementDeadline(claimedNanos);
    long lastRoundStart = deadline - longestPublishNanos;
    List<List<ClaimedEvent>> going = new ArrayList<>(byAggregate.values());
    for (int round = 0; !going.isEmpty(); round++) {
      boolean stopping = !running.getAsBoolean();
      if (stopping || System.nanoTime() > lastRoundStart) {
        int notSent = 0;
        for (List<ClaimedEvent> events : going) {
          notSent += events.size() - round;
          report.notSent(events.subList(round, events.size()));
        }
        if (!stopping) {
          reportOutOfTime(notSent, batch.size(), claimedNanos);
        }
        break;
      }
      Map<ClaimedEvent, Publication> inFlight = new LinkedHashMap<>();
      for (List<ClaimedEvent> events : going) {
        ClaimedEvent event = events.get(round);
        log.debug(
            "Publishing event {} ({}) of {}/{} to {}, attempt {}",
            event.record().eventId(),
            event.record().eventType(),
            event.record().aggregateType(),
            event.record().aggregateId(),
            event.record().topic(),
            event.record().attempt());
        inFlight.put(event, send(event));
      }
      List<List<ClaimedEvent>> next = new ArrayList<>();
      List<ClaimedEvent> retriableFailures = new ArrayList<>();
      for (List<ClaimedEvent> events : going) {
        ClaimedEvent event = events.get(round);
        Publication publication = Objects.requireNonNull(inFlight.get(event));
        Throwable failure = await(publication, lastRoundStart);
        if (failure instanceof TimeoutException && publication.withdraw()) {
          // Still queued when no publish could start any more: one handed to the broker's client
          // now could outlast the lease.
          report.withdrawn(event);
        } else {
          if (failure instanceof TimeoutException) {
            // With the broker's client, and answered within its longest publish: by the deadline.
            failure = await(publication, deadline);
          }
          if (failure == null) {
            report.acknowledged(event);
            if (round + 1 < events.size()) {
              next.add(events);
            }
            continue;
          }
          if (failure instanceof TimeoutException) {
            log.warn("No acknowledgement for event {} in time", event.record().eventId());
            report.unanswered(event);
          } else if (!running.getAsBoolean()) {
            report.failedWhileStopping(event);
          } else if (report.failed(event, failure) == PublishReport.Answer.FAILED_RETRIABLY) {
            retriableFailures.add(event);
          }
        }
        // Later events of the aggregate wait behind the one that did not go through.
        report.notSent(events.subList(round + 1, events.size()));
      }
      if (!retriableFailures.isEmpty()
          && outage.brokerDownAfter(
              retriableFailures.size(),
              report.of(retriableFailures.get(retriableFailures.size() - 1)).error())) {
        report.brokerDownAfter(retriableFailures);
        // Nothing more to send to a broker that is down.
        for (List<ClaimedEvent> events : next) {
          report.notSent(events.subList(round + 1, events.size()));
        }
        break;
      }
      going = next;
    }
    return report;
  }

  /** Three quarters of the lease from the claim: the last quarter is for writing the outcomes. */
  private long acknowledgementDeadline(long claimedNanos) {
    return claimedNanos + config.stuckTimeout().toNanos() / 4 * 3;
  }

  /**
   * A batch that ran out of time (a broker slow to acknowledge its earlier rounds, or a claim that
   * waited long behind the batch before it) is not lost, but a lease too short for the publisher
   * makes every batch go round again: worth a line each time.
   */
  private void reportOutOfTime(int givenBack, int batchSize, long claimedNanos) {
    log.warn(
        "Gave back {} of {} claimed event(s) unpublished, uncounted: {} ms after the claim no"
            + " publish of up to {} ms could be answered within three quarters of the lease"
            + " (stuckTimeout {}). If this recurs, raise stuckTimeout or lower the publisher's"
            + " timeouts",
        givenBack,
        batchSize,
        (System.nanoTime() - claimedNanos) / 1_000_000,
        longestPublishNanos / 1_000_000,
        config.stuckTimeout());
  }

  private Publication send(ClaimedEvent event) {
    try {
      return publisher.publish(event.record());
    } catch (RuntimeException | LinkageError e) {
      return Publication.failed(e);
    }
  }

  private static @Nullable Throwable await(Publication publication, long deadline) {
    try {
      publication
          .acknowledgement()
          .toCompletableFuture()
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause() != null ? e.getCause() : e;
    } catch (TimeoutException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TimeoutException("interrupted while waiting for the broker");
    } catch (RuntimeException e) {
      // A stage that cannot be awaited (its toCompletableFuture unsupported) fails like a publish
      // that threw, rather than the whole batch.
      return e;
    }
  }
}
