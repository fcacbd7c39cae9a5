package dev.outbox.benchmarks;

import java.time.Duration;
import java.util.List;

/** The sizes of one benchmark run: the full run of the issue, or a quick smoke run. */
record BenchOptions(
    boolean quick,
    List<String> engines,
    int drainEvents,
    int payloadBytes,
    int aggregates,
    List<Integer> latencyRates,
    Duration latencyDuration,
    Duration overheadDuration,
    int growthSentRows,
    int batchSize,
    Duration pollInterval,
    String output,
    boolean wakeupOnly,
    Duration wakeupIdle,
    Duration wakeupPollInterval,
    int wakeupEvents,
    PeerRun peers) {

  static final String USAGE =
      """
      Usage: mvn -q -pl outbox-benchmarks -am compile exec:exec -Dbench.args="[options]"

      Measures the relay on embedded PostgreSQL and MariaDB against the raw ceilings of the same
      database and Kafka broker in the same run, prints a table and one bench: line per engine;
      then drains one backlog with each peer module of outbox-peers (ours and other outbox
      libraries, each in a JVM of its own) on PostgreSQL and the same broker, reads each peer's
      topic back, and prints a table and one peers: line.
        --full              the full run, about 10 minutes plus the peers' (default)
        --quick             a 40-second smoke run with small sizes, without the peers
        --no-peers          without the peers
        --peers-only        only the peers
        --peers LIST        only these peers, e.g. ours,gruelbox (default every peer module)
        --peer-events N     the peers' backlog (default 200000)
        --peer-aggregates N its aggregates (default 10000)
        --peer-payload-bytes N  its payloads' size (default 300)
        --peer-timeout-minutes N  a peer still running then is stopped, reported failed (default 20)
        --peer-rate N       each peer's paced run, for its latency: N events/s (default 1000; 0: none)
        --peer-rate-seconds N  how long it writes, the first 5 s not counted (default 35)
        --engines LIST      postgresql,mariadb (default both)
        --wakeup            only the wake-up scenario: a lone event after an idle period, from
                            commit to the broker's acknowledgement, with Dispatcher.wakeUp()
                            after the commit and left to the poll; prints one wakeup: line per
                            engine (about 2.5 minutes per engine with the defaults)
        --idle-seconds N    its idle period before the first lone event (default 60)
        --lone-events N     its lone events, each 2-3 poll intervals after the last (default 5)
        --wakeup-poll-ms N  its dispatchers' poll interval (default 5000)
        --output FILE       the results as JSON (default target/benchmark-results.json)
        --help              this text
      """;

  /** The wake-up scenario's defaults: a minute idle, five lone events, a 5-second poll. */
  static final Duration WAKEUP_IDLE = Duration.ofSeconds(60);

  static final Duration WAKEUP_POLL_INTERVAL = Duration.ofSeconds(5);
  static final int WAKEUP_EVENTS = 5;

  static BenchOptions full(List<String> engines, String output) {
    return new BenchOptions(
        false,
        engines,
        200_000,
        300,
        10_000,
        List.of(1_000, 5_000),
        Duration.ofSeconds(60),
        Duration.ofSeconds(10),
        5_000_000,
        1_000,
        Duration.ofMillis(100),
        output,
        false,
        WAKEUP_IDLE,
        WAKEUP_POLL_INTERVAL,
        WAKEUP_EVENTS,
        PeerRun.defaults(false));
  }

  static BenchOptions quick(List<String> engines, String output) {
    return new BenchOptions(
        true,
        engines,
        5_000,
        300,
        500,
        List.of(200, 1_000),
        Duration.ofSeconds(3),
        Duration.ofSeconds(1),
        50_000,
        1_000,
        Duration.ofMillis(100),
        output,
        false,
        WAKEUP_IDLE,
        WAKEUP_POLL_INTERVAL,
        WAKEUP_EVENTS,
        PeerRun.defaults(true));
  }

  static BenchOptions parse(String[] args) {
    boolean quick = false;
    List<String> engines = List.of("postgresql", "mariadb");
    String output = "target/benchmark-results.json";
    boolean wakeup = false;
    Duration idle = WAKEUP_IDLE;
    Duration wakeupPoll = WAKEUP_POLL_INTERVAL;
    int loneEvents = WAKEUP_EVENTS;
    boolean peersOnly = false;
    boolean noPeers = false;
    List<String> peerNames = List.of();
    int peerEvents = PeerRun.EVENTS;
    int peerAggregates = PeerRun.AGGREGATES;
    int peerPayloadBytes = PeerRun.PAYLOAD_BYTES;
    Duration peerTimeout = PeerRun.TIMEOUT;
    int peerRate = PeerRun.PACED_RATE;
    int peerRateSeconds = PeerRun.PACED_SECONDS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--peers-only" -> peersOnly = true;
        case "--no-peers" -> noPeers = true;
        case "--peers" -> peerNames = List.of(value(args, ++i).split(","));
        case "--peer-events" -> peerEvents = positive(args, ++i);
        case "--peer-aggregates" -> peerAggregates = positive(args, ++i);
        case "--peer-payload-bytes" -> peerPayloadBytes = positive(args, ++i);
        case "--peer-timeout-minutes" -> peerTimeout = Duration.ofMinutes(positive(args, ++i));
        case "--peer-rate" -> peerRate = notNegative(args, ++i);
        case "--peer-rate-seconds" -> peerRateSeconds = positive(args, ++i);
        case "--quick" -> quick = true;
        case "--wakeup" -> wakeup = true;
        case "--idle-seconds" -> idle = Duration.ofSeconds(positive(args, ++i));
        case "--lone-events" -> loneEvents = positive(args, ++i);
        case "--wakeup-poll-ms" -> wakeupPoll = Duration.ofMillis(positive(args, ++i));
        case "--full" -> quick = false;
        case "--engines" -> engines = List.of(value(args, ++i).split(","));
        case "--output" -> output = value(args, ++i);
        default ->
            throw new IllegalArgumentException(
                "unknown option '" + args[i] + "'; --help lists the options");
      }
    }
    for (String engine : engines) {
      if (!engine.equals("postgresql") && !engine.equals("mariadb")) {
        throw new IllegalArgumentException(
            "--engines takes postgresql and/or mariadb, was '" + engine + "'");
      }
    }
    if (peersOnly && noPeers) {
      throw new IllegalArgumentException("--peers-only and --no-peers exclude each other");
    }
    if (peerRate > 0 && peerRateSeconds <= PeerRun.PACED_WARMUP_SECONDS) {
      throw new IllegalArgumentException(
          "--peer-rate-seconds must be more than the "
              + PeerRun.PACED_WARMUP_SECONDS
              + " s of warm-up, was "
              + peerRateSeconds);
    }
    PeerRun.Mode peerMode =
        peersOnly
            ? PeerRun.Mode.ONLY
            : noPeers || quick || wakeup ? PeerRun.Mode.NONE : PeerRun.Mode.AFTER_ENGINES;
    PeerRun peers =
        new PeerRun(
            peerMode,
            peerEvents,
            peerAggregates,
            peerPayloadBytes,
            peerNames,
            peerTimeout,
            peerRate,
            peerRateSeconds);
    BenchOptions sizes = quick ? quick(engines, output) : full(engines, output);
    return sizes.withWakeup(wakeup, idle, wakeupPoll, loneEvents, peers);
  }

  private BenchOptions withWakeup(
      boolean only, Duration idle, Duration pollInterval, int loneEvents, PeerRun peerRun) {
    return new BenchOptions(
        quick,
        engines,
        drainEvents,
        payloadBytes,
        aggregates,
        latencyRates,
        latencyDuration,
        overheadDuration,
        growthSentRows,
        batchSize,
        this.pollInterval,
        output,
        only,
        idle,
        pollInterval,
        loneEvents,
        peerRun);
  }

  private static int notNegative(String[] args, int i) {
    String text = value(args, i);
    try {
      int n = Integer.parseInt(text);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        args[i - 1] + " takes 0 or a positive number, was '" + text + "'");
  }

  private static int positive(String[] args, int i) {
    String text = value(args, i);
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        args[i - 1] + " takes a positive number, was '" + text + "'");
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
