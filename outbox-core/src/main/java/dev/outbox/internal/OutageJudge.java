package dev.outbox.internal;

import dev.outbox.DispatcherConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/** Tells a broker outage from bad events by a batch's outcomes, and paces the processor in one. */
final class OutageJudge {

  private static final Duration MAX_OUTAGE_PAUSE = Duration.ofMinutes(1);

  private final DispatcherConfig config;
  private final Logger log;
  private final GrowingPause outagePause;

  OutageJudge(DispatcherConfig config) {
    this.config = config;
    this.log = config.logger();
    this.outagePause = new GrowingPause(config.pollInterval(), MAX_OUTAGE_PAUSE);
  }

  /** How long the processor pauses before its next claim: zero unless in an outage. */
  Duration pause() {
    return outagePause.current();
  }

  /**
   * When every attempt of a batch failed retriably, the broker is probably down rather than the
   * events bad. Then only the oldest attempted event keeps its counted attempt; the others go back
   * uncounted, and the processor pauses (growing up to a minute), so an outage cannot use up the
   * attempts of every event in the table.
   */
  List<Outcome> judge(List<ClaimedEvent> batch, Map<Long, Outcome> outcomes) {
    List<Outcome> ordered = new ArrayList<>();
    for (ClaimedEvent event : batch) {
      Outcome o = outcomes.get(event.id());
      if (o != null) {
        ordered.add(o);
      }
    }
    long failedRetriably = ordered.stream().filter(Outcome::failedRetriably).count();
    boolean outage =
        failedRetriably >= 2
            && ordered.stream()
                .allMatch(o -> o.failedRetriably() || o.kind() == Outcome.Kind.RELEASED);
    if (!outage) {
      outagePause.reset();
      return ordered;
    }
    Instant resumeAt = config.clock().instant().plus(outagePause.next());
    List<Outcome> result = new ArrayList<>();
    boolean probeKept = false;
    for (Outcome o : ordered) {
      if (o.failedRetriably() && !probeKept) {
        result.add(o);
        probeKept = true;
      } else {
        result.add(Outcome.released(o.id(), resumeAt));
      }
    }
    log.warn(
        "All {} publish attempt(s) of the batch failed; the broker looks unavailable. Pausing {}"
            + " without counting attempts (last error: {})",
        failedRetriably,
        outagePause.current(),
        ordered.get(0).error());
    return result;
  }
}
