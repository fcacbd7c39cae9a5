package dev.outbox.benchmarks;

import dev.outbox.embedded.KafkaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every benchmark on each engine against the raw ceilings measured in the same run, prints a
 * table and one {@code bench:} line per engine, and writes the results as JSON; then the peers side
 * by side ({@link PeersBenchmark}), ending with the {@code peers:} line. Or, with {@code --wakeup},
 * only the wake-up scenario ({@link WakeupBenchmark}); with {@code --peers-only}, only the peers.
 */
public final class BenchmarkMain {

  private static final Logger LOG = LoggerFactory.getLogger(BenchmarkMain.class);

  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(BenchOptions.USAGE);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
      if (options.peers().mode() != PeerRun.Mode.NONE) {
        // Before a run of many minutes: a peer named that is not there.
        PeersBenchmark.peers(options.peers().names());
      }
    } catch (IllegalArgumentException e) {
      System.err.println("Error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (options.wakeupOnly()) {
      runWakeup(options);
    } else if (options.peers().mode() == PeerRun.Mode.ONLY) {
      runPeers(options);
    } else {
      run(options);
    }
    System.exit(0);
  }

  /**
   * Each engine's figures: a table and a {@code bench:} line each; then, unless the run leaves them
   * out, the peers on the same broker, ending with the {@code peers:} line.
   */
  static List<EngineResult> run(BenchOptions options) throws Exception {
    List<EngineResult> results = new ArrayList<>();
    try (KafkaProcess broker = KafkaProcess.start()) {
      for (String engine : options.engines()) {
        try (BenchDatabase db = BenchDatabase.start(engine)) {
          results.add(runEngine(db, broker.bootstrapServers(), options));
        }
      }
      for (EngineResult result : results) {
        System.out.print(result.table());
      }
      writeJson(options, results);
      for (EngineResult result : results) {
        System.out.println(result.benchLine());
      }
      if (options.peers().mode() == PeerRun.Mode.AFTER_ENGINES) {
        LOG.info("[peers] each peer drains {} events", options.peers().events());
        PeersBenchmark.run(broker.bootstrapServers(), options.peers());
      }
    }
    return results;
  }

  /** The peers alone, on a broker of their own: a table and the {@code peers:} line. */
  static PeersBenchmark.Result runPeers(BenchOptions options) throws Exception {
    try (KafkaProcess broker = KafkaProcess.start()) {
      return PeersBenchmark.run(broker.bootstrapServers(), options.peers());
    }
  }

  /** The wake-up scenario alone, on each engine: a table and one {@code wakeup:} line each. */
  static List<WakeupBenchmark.Wakeup> runWakeup(BenchOptions options) throws Exception {
    List<WakeupBenchmark.Wakeup> results = new ArrayList<>();
    try (KafkaProcess broker = KafkaProcess.start()) {
      for (String engine : options.engines()) {
        try (BenchDatabase db = BenchDatabase.start(engine)) {
          db.reset();
          results.add(WakeupBenchmark.run(db, broker.bootstrapServers(), options));
        }
      }
    }
    for (WakeupBenchmark.Wakeup result : results) {
      System.out.print(result.table());
    }
    for (WakeupBenchmark.Wakeup result : results) {
      System.out.println(result.line());
    }
    return results;
  }

  private static EngineResult runEngine(BenchDatabase db, String bootstrap, BenchOptions o)
      throws Exception {
    String engine = db.engine();
    LOG.info("[{}] bare Kafka producer, {} records", engine, o.drainEvents());
    double kafka = Ceilings.kafka(bootstrap, o.drainEvents(), o.payloadBytes(), o.aggregates());

    LOG.info("[{}] bare claim loop over {} rows", engine, o.drainEvents());
    db.reset();
    db.fillPending(o.drainEvents(), o.payloadBytes(), o.aggregates());
    double claim = Ceilings.claimLoop(db);

    // The first drain of a run compiles the relay's code paths and warms the database and broker;
    // measured, it made the growth drain that follows look faster than the empty table's, and after
    // a quarter-size warm-up a second drain of the full backlog still ran 30-40% faster than the
    // first, so the warm-up drains the full backlog.
    LOG.info("[{}] warm-up drain of {} events", engine, o.drainEvents());
    db.reset();
    DrainBenchmark.run(db, bootstrap, o, o.drainEvents());

    LOG.info("[{}] drain of {} events", engine, o.drainEvents());
    db.reset();
    DrainBenchmark.Drain drain = DrainBenchmark.run(db, bootstrap, o);

    LOG.info("[{}] drain with {} sent rows kept", engine, o.growthSentRows());
    db.reset();
    db.fillSent(o.growthSentRows());
    DrainBenchmark.Drain grown = DrainBenchmark.run(db, bootstrap, o);

    List<LatencyBenchmark.Latency> latencies = new ArrayList<>();
    for (int rate : o.latencyRates()) {
      LOG.info("[{}] latency at {} events/s for {}", engine, rate, o.latencyDuration());
      db.reset();
      latencies.add(LatencyBenchmark.run(db, bootstrap, o, rate));
    }

    List<WriteOverheadBenchmark.Overhead> overheads = new ArrayList<>();
    for (WriteOverheadBenchmark.Kind kind : WriteOverheadBenchmark.Kind.values()) {
      for (int threads : List.of(1, 4)) {
        LOG.info("[{}] write overhead, {} transaction, {} thread(s)", engine, kind.label, threads);
        db.reset();
        overheads.add(WriteOverheadBenchmark.run(db, o, kind, threads));
      }
    }
    return new EngineResult(
        engine,
        kafka,
        claim,
        drain.eventsPerSecond(),
        drain.heapMegabytes(),
        grown.eventsPerSecond(),
        o.growthSentRows(),
        latencies,
        overheads);
  }

  private static void writeJson(BenchOptions options, List<EngineResult> results)
      throws java.io.IOException {
    Path path = Path.of(options.output());
    if (path.getParent() != null) {
      Files.createDirectories(path.getParent());
    }
    String json =
        "{\"run_at\":\""
            + Instant.now()
            + "\",\"mode\":\""
            + (options.quick() ? "quick" : "full")
            + "\",\"cores\":"
            + Runtime.getRuntime().availableProcessors()
            + ",\"results\":["
            + results.stream().map(EngineResult::json).collect(Collectors.joining(","))
            + "]}\n";
    Files.writeString(path, json, StandardCharsets.UTF_8);
    LOG.info("Results written to {}", path.toAbsolutePath());
  }
}
