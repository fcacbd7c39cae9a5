package dev.outbox.benchmarks;

import java.time.Duration;
import java.util.List;

/**
 * The side-by-side run of the peers ({@link PeersBenchmark}): whether it runs, on what backlog,
 * which peers, and how long one may take.
 *
 * @param names the peers to run, by module name; empty for every peer module
 * @param pacedRate events a second of each peer's paced run, which measures its latency; 0 for none
 * @param pacedSeconds how long each paced run writes, its first {@link #PACED_WARMUP_SECONDS} not
 *     counted
 */
record PeerRun(
    PeerRun.Mode mode,
    int events,
    int aggregates,
    int payloadBytes,
    List<String> names,
    Duration timeout,
    int pacedRate,
    int pacedSeconds) {

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
  static final int PACED_RATE = 1_000;
  static final int PACED_SECONDS = 35;
  static final int PACED_WARMUP_SECONDS = 5;

  /**
   * The writing threads of a paced run: dev.outbox.peers.PacedWrites.WRITERS, in the peer's JVM.
   */
  static final int PACED_WRITERS = 4;

  static PeerRun defaults(boolean quick) {
    return new PeerRun(
        quick ? Mode.NONE : Mode.AFTER_ENGINES,
        EVENTS,
        AGGREGATES,
        PAYLOAD_BYTES,
        List.of(),
        TIMEOUT,
        PACED_RATE,
        PACED_SECONDS);
  }

  PeerRun withMode(Mode newMode) {
    return new PeerRun(
        newMode, events, aggregates, payloadBytes, names, timeout, pacedRate, pacedSeconds);
  }

  /** The events of a paced run written before the latency is counted. */
  int pacedWarmupEvents() {
    return pacedRate * PACED_WARMUP_SECONDS;
  }
}
