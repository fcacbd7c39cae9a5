package dev.outbox.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick benchmark runs end to end on both engines and reports every figure. A smoke test:
 * timings are measured and reported, never asserted.
 */
class BenchmarkSmokeTest {

  @Test
  void quickRunMeasuresEveryFigureOnBothEngines(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("results.json");
    List<EngineResult> results =
        BenchmarkMain.run(
            BenchOptions.parse(new String[] {"--quick", "--output", output.toString()}));

    assertThat(results).extracting(EngineResult::engine).containsExactly("postgresql", "mariadb");
    for (EngineResult r : results) {
      assertThat(r.kafkaCeilingEps()).isPositive();
      assertThat(r.claimCeilingEps()).isPositive();
      assertThat(r.drainEps()).isPositive();
      assertThat(r.growthDrainEps()).isPositive();
      assertThat(r.heapMb()).isPositive();
      assertThat(r.latencies()).hasSize(2).allSatisfy(l -> assertThat(l.events()).isPositive());
      assertThat(r.overheads())
          .extracting(o -> o.kind() + "/" + o.threads())
          .containsExactly("ONE_ROW/1", "ONE_ROW/4", "REALISTIC/1", "REALISTIC/4");
      assertThat(r.overheads()).allSatisfy(o -> assertThat(o.withOutboxTps()).isPositive());
      assertThat(r.benchLine())
          .matches(
              "bench: engine=\\w+ drain_eps=\\d+ claim_ceiling_eps=\\d+ kafka_ceiling_eps=\\d+"
                  + " drain_vs_claim=[\\d.]+ p99_ms_1k=[\\d.]+ write_overhead=[\\d.]+"
                  + " write_overhead_realistic=[\\d.]+ growth_ratio=[\\d.]+ heap_mb=\\d+");
    }
    assertThat(Files.readString(output))
        .contains("\"engine\":\"postgresql\"", "\"engine\":\"mariadb\"");
  }

  @Test
  void peersHarnessRunsOursInAJvmOfItsOwnChecksEveryRecordAndMeasuresItsLatency() throws Exception {
    PeersBenchmark.Result result =
        BenchmarkMain.runPeers(
            BenchOptions.parse(
                new String[] {
                  "--peers-only",
                  "--peers",
                  "ours",
                  "--peer-events",
                  "2000",
                  "--peer-aggregates",
                  "200",
                  "--peer-rate",
                  "200",
                  "--peer-rate-seconds",
                  "7"
                }));

    assertThat(result.outcomes())
        .singleElement()
        .satisfies(
            ours -> {
              assertThat(ours.failure()).isNull();
              assertThat(ours.eps()).isPositive();
              assertThat(ours.settings()).contains("batch_size=1000");
              Deliveries d = ours.deliveries();
              assertThat(d).isNotNull();
              assertThat(d.records()).isEqualTo(2000);
              assertThat(d.missing()).isZero();
              assertThat(d.duplicates()).isZero();
              assertThat(d.reordered()).isZero();
              assertThat(d.unreadable()).isZero();
              PeersBenchmark.PacedOutcome paced = ours.paced();
              assertThat(paced).isNotNull();
              assertThat(paced.failure()).isNull();
              // 7 s at 200 events/s, the first 5 s the warm-up
              assertThat(paced.latency())
                  .extracting(
                      LatencyBenchmark.Latency::events, LatencyBenchmark.Latency::unacknowledged)
                  .containsExactly(400L, 0L);
            });
    assertThat(result.line())
        .matches(
            "peers: engine=postgresql ours_eps=\\d+ best_peer=none ours_vs_best=n/a"
                + " reordered_ours=0 paced_rate=200 p99_ms_ours=\\d+\\.\\d");
  }

  @Test
  void wakeupScenarioMeasuresLoneEventsWithAndWithoutTheWakeUp() throws Exception {
    List<WakeupBenchmark.Wakeup> results =
        BenchmarkMain.runWakeup(
            BenchOptions.parse(
                new String[] {
                  "--wakeup",
                  "--engines",
                  "postgresql",
                  "--idle-seconds",
                  "1",
                  "--wakeup-poll-ms",
                  "300",
                  "--lone-events",
                  "2"
                }));

    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.withWakeUpMs()).hasSize(2).allSatisfy(ms -> assertThat(ms).isNotNaN());
              assertThat(r.withoutWakeUpMs())
                  .hasSize(2)
                  .allSatisfy(ms -> assertThat(ms).isNotNaN());
              assertThat(r.line())
                  .matches(
                      "wakeup: engine=postgresql poll_interval_ms=300 idle_s=1 events=2"
                          + " with_wakeup_p50_ms=[\\d.]+ with_wakeup_max_ms=[\\d.]+"
                          + " without_wakeup_p50_ms=[\\d.]+ without_wakeup_max_ms=[\\d.]+"
                          + " unacknowledged=0");
            });
  }

  @Test
  void wakeupOptionsAreParsedAndCheckedAndDefaultToAnIdleMinute() {
    BenchOptions defaults = BenchOptions.parse(new String[] {"--wakeup"});
    assertThat(defaults.wakeupOnly()).isTrue();
    assertThat(defaults.wakeupIdle()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.wakeupPollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(defaults.wakeupEvents()).isEqualTo(5);
    assertThat(BenchOptions.parse(new String[0]).wakeupOnly()).isFalse();
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--idle-seconds", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--idle-seconds takes a positive number, was '0'");
  }
}
