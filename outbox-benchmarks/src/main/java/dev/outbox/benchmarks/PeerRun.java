package dev.outbox.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * The side-by-side run of the peers ({@link PeersBenchmark}): whether it runs, on what backlog,
 * which peers, and how long one may take.
 *
 * @param names the peers to run, by module name; empty for every peer module
 */
record PeerRun(
    PeerRun.Mode mode,
    int events,
    int aggregates,
    int payloadBytes,
    List<String> names,
    Duration timeout) {

  enum Mode {
    /** After the per-engine figures, on the same broker: the full run. */
    AFTER_ENGINES,
    /** The peers alone. */
    ONLY,
    /** Not at all: the quick run, or {@code --no-peers}. */
    NONE
  }

  static final int EVENTS = 200_000;
  static final int AGGREGATES = 10_000;
  static final int PAYLOAD_BYTES = 300;
  static final Duration TIMEOUT = Duration.ofMinutes(20);

  static PeerRun defaults(boolean quick) {
    return new PeerRun(
        quick ? Mode.NONE : Mode.AFTER_ENGINES,
        EVENTS,
        AGGREGATES,
        PAYLOAD_BYTES,
        List.of(),
        TIMEOUT);
  }

  PeerRun withMode(Mode newMode) {
    return new PeerRun(newMode, events, aggregates, payloadBytes, names, timeout);
  }
}
