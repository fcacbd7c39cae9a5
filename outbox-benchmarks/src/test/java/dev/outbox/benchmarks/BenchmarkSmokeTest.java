package dev.outbox.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
      assertThat(r.overheads()).hasSize(2);
      assertThat(r.benchLine())
          .matches(
              "bench: engine=\\w+ drain_eps=\\d+ claim_ceiling_eps=\\d+ kafka_ceiling_eps=\\d+"
                  + " drain_vs_claim=[\\d.]+ p99_ms_1k=[\\d.]+ write_overhead=[\\d.]+"
                  + " growth_ratio=[\\d.]+ heap_mb=\\d+");
    }
    assertThat(Files.readString(output))
        .contains("\"engine\":\"postgresql\"", "\"engine\":\"mariadb\"");
  }
}
