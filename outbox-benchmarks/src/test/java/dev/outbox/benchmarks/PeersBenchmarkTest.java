package dev.outbox.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peers' harness without running a peer: counting, reporting, discovery and options. */
class PeersBenchmarkTest {

  /** Event {@code i}'s payload as dev.outbox.peers.PeerEvents writes it. */
  private static String payload(int i, int aggregates) {
    return "{\"aggregate\":\"agg-"
        + (i % aggregates)
        + "\",\"seq\":"
        + (i / aggregates)
        + ",\"data\":\"xxxxxxxxxx\"}";
  }

  @Test
  void deliveriesCountMissingDuplicatedAndReorderedEventsPerPartition() {
    Deliveries d = new Deliveries(8, 2); // agg-0: seq 0..3 (i 0,2,4,6); agg-1: i 1,3,5,7
    d.accept(0, "agg-0", payload(0, 2));
    d.accept(0, "agg-0", payload(4, 2)); // seq 2 before seq 1
    d.accept(0, "agg-0", payload(2, 2)); // seq 1 after seq 2: reordered
    d.accept(0, "agg-0", payload(4, 2)); // duplicate of seq 2, not lower than the highest
    d.accept(0, "agg-0", payload(6, 2));
    d.accept(1, "agg-1", payload(1, 2));
    d.accept(1, "agg-1", payload(3, 2));
    d.accept(1, "agg-1", payload(1, 2)); // redelivered after seq 1: duplicate and reordered
    d.accept(1, "agg-1", "{\"something\":\"else\"}");
    // i 5 and 7 (agg-1, seq 2 and 3) never came

    assertThat(d.records()).isEqualTo(9);
    assertThat(d.unreadable()).isEqualTo(1);
    assertThat(d.missing()).isEqualTo(2);
    assertThat(d.duplicates()).isEqualTo(2);
    assertThat(d.reordered()).isEqualTo(2);
  }

  @Test
  void resultNamesTheFastestOtherPeerAndReportsAFailedOneWithItsLastLines() {
    Deliveries clean = new Deliveries(2, 1);
    clean.accept(0, "agg-0", payload(0, 1));
    clean.accept(0, "agg-0", payload(1, 1));
    Deliveries swapped = new Deliveries(2, 1);
    swapped.accept(0, "agg-0", payload(1, 1));
    swapped.accept(0, "agg-0", payload(0, 1));
    PeerRun run = PeerRun.defaults(false);
    PeersBenchmark.Result result =
        new PeersBenchmark.Result(
            run,
            List.of(
                new PeersBenchmark.Outcome(
                    "ours", "1", 30_000, "batch_size=1000", clean, null, List.of(), null),
                new PeersBenchmark.Outcome(
                    "alpha", "2", 5_000, "threads=4", swapped, null, List.of(), null),
                new PeersBenchmark.Outcome(
                    "beta", "3", 12_000, "threads=8", clean, null, List.of(), null),
                PeersBenchmark.Outcome.failed("gamma", "exit code 1", List.of("boom", "at x"))));

    assertThat(result.line())
        .isEqualTo(
            "peers: engine=postgresql ours_eps=30000 alpha_eps=5000 beta_eps=12000"
                + " gamma_eps=failed best_peer=beta ours_vs_best=2.50 reordered_ours=0"
                + " reordered_alpha=1 reordered_beta=0 reordered_gamma=failed"
                + " paced_rate=1000 p99_ms_ours=n/a p99_ms_alpha=n/a p99_ms_beta=n/a"
                + " p99_ms_gamma=n/a");
    assertThat(result.table())
        .contains("| ours | 1 | 30,000 | - | 2 | 0 | 0 | 0 | batch_size=1000 |")
        .contains("| alpha | 2 | 5,000 | 6.00 | 2 | 0 | 0 | 1 | threads=4 |")
        .contains("| gamma | ? | failed | | | | | | exit code 1 |")
        .contains("gamma FAILED: exit code 1; its last lines:\n  boom\n  at x\n");
  }

  @Test
  void pacedLatencyIsFromEachEventsCommitToItsFirstAppendAfterTheWarmUp() {
    // 6 events of 2 aggregates at 2/s; the first 2 are the warm-up.
    long base = 1_700_000_000_000L;
    long[] committedMicros = new long[6];
    for (int i = 0; i < 6; i++) {
      committedMicros[i] = (base + i * 500L) * 1_000;
    }
    PacedLatency paced = new PacedLatency(2, 2, 2, committedMicros);
    paced.accept(payload(0, 2), base + 900); // warm-up: not counted
    paced.accept(payload(2, 2), base + 1_000 + 4);
    paced.accept(payload(3, 2), base + 1_500 + 10);
    paced.accept(payload(3, 2), base + 1_500 + 2); // an earlier copy counts
    paced.accept(payload(4, 2), base + 2_000 + 30);
    paced.accept("{\"other\":1}", base);
    // event 5 never came

    LatencyBenchmark.Latency latency = paced.latency();
    assertThat(latency.events()).isEqualTo(3);
    assertThat(latency.unacknowledged()).isEqualTo(1);
    // appended within the millisecond stamped: its middle is taken
    assertThat(latency.p50()).isEqualTo(4.5);
    assertThat(latency.max()).isEqualTo(30.5);
  }

  @Test
  void theLatencyTableShowsEachPeersPacedRunOrWhyThereIsNone() {
    PeersBenchmark.Result result =
        new PeersBenchmark.Result(
            PeerRun.defaults(false),
            List.of(
                new PeersBenchmark.Outcome(
                        "ours", "1", 1_000, "", new Deliveries(1, 1), null, List.of(), null)
                    .withPaced(
                        new PeersBenchmark.PacedOutcome(
                            new LatencyBenchmark.Latency(1000, 30_000, 0, 4, 9, 12.5, 40),
                            null,
                            List.of())),
                new PeersBenchmark.Outcome(
                        "alpha", "2", 500, "", new Deliveries(1, 1), null, List.of(), null)
                    .withPaced(
                        PeersBenchmark.PacedOutcome.failed("exit code 3", List.of("oops")))));

    assertThat(result.line()).endsWith(" paced_rate=1000 p99_ms_ours=12.5 p99_ms_alpha=failed");
    assertThat(result.table())
        .contains("| ours | 4.0 | 9.0 | 12.5 | 40.0 | 30,000 | 0 |")
        .contains("| alpha | failed | | | | | |")
        .contains("alpha's paced run FAILED: exit code 3; its last lines:\n  oops\n");
  }

  @Test
  void withoutAnotherPeerThereIsNoBestAndNoRatio() {
    PeersBenchmark.Result result =
        new PeersBenchmark.Result(
            PeerRun.defaults(false),
            List.of(
                new PeersBenchmark.Outcome(
                    "ours", "1", 1_000, "", new Deliveries(1, 1), null, List.of(), null)));
    assertThat(result.line()).contains("best_peer=none ours_vs_best=n/a");
  }

  @Test
  void thePeersAreTheModulesOfOutboxPeersBesidesCommonOursFirst() throws Exception {
    List<PeersBenchmark.Peer> peers = PeersBenchmark.discover(PeersBenchmark.peersDirectory());
    assertThat(peers)
        .extracting(PeersBenchmark.Peer::name)
        .startsWith("ours")
        .doesNotContain("common");
    assertThat(peers).extracting(PeersBenchmark.Peer::name).contains("gruelbox");
  }

  @Test
  void peerOptionsArePartOfTheFullRunOnlyOrLeftOut() {
    assertThat(BenchOptions.parse(new String[0]).peers().mode())
        .isEqualTo(PeerRun.Mode.AFTER_ENGINES);
    assertThat(BenchOptions.parse(new String[] {"--quick"}).peers().mode())
        .isEqualTo(PeerRun.Mode.NONE);
    assertThat(BenchOptions.parse(new String[] {"--no-peers"}).peers().mode())
        .isEqualTo(PeerRun.Mode.NONE);
    PeerRun only =
        BenchOptions.parse(
                new String[] {
                  "--peers-only",
                  "--peers",
                  "ours,gruelbox",
                  "--peer-events",
                  "1000",
                  "--peer-aggregates",
                  "10",
                  "--peer-payload-bytes",
                  "200",
                  "--peer-timeout-minutes",
                  "3"
                })
            .peers();
    assertThat(only)
        .isEqualTo(
            new PeerRun(
                PeerRun.Mode.ONLY,
                1000,
                10,
                200,
                List.of("ours", "gruelbox"),
                Duration.ofMinutes(3),
                PeerRun.PACED_RATE,
                PeerRun.PACED_SECONDS));
    assertThat(
            BenchOptions.parse(new String[] {"--peer-rate", "0", "--peer-rate-seconds", "3"})
                .peers())
        .extracting(PeerRun::pacedRate, PeerRun::pacedSeconds)
        .containsExactly(0, 3);
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--peer-rate-seconds", "5"}))
        .hasMessage("--peer-rate-seconds must be more than the 5 s of warm-up, was 5");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--peer-rate", "-1"}))
        .hasMessage("--peer-rate takes 0 or a positive number, was '-1'");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--peers-only", "--no-peers"}))
        .hasMessage("--peers-only and --no-peers exclude each other");
  }
}
