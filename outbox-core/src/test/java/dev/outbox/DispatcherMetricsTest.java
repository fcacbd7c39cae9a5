package dev.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DispatcherMetricsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aWorkerFailsForTheTimeFromItsFirstFailedRunToItsLatestNotUntilNow() {
    // An hourly worker whose one run failed: failing since that run, and nothing since.
    DispatcherMetrics.Worker once = worker(T0, "boom", T0);
    assertThat(once.failingFor(Duration.ZERO)).isTrue();
    assertThat(once.failingFor(Duration.ofMinutes(1))).isFalse();

    // A worker that failed again and again for two minutes.
    DispatcherMetrics.Worker again = worker(T0.plus(Duration.ofMinutes(2)), "boom", T0);
    assertThat(again.failingFor(Duration.ofMinutes(1))).isTrue();
    assertThat(again.failingFor(Duration.ofMinutes(2))).isTrue();
    assertThat(again.failingFor(Duration.ofMinutes(3))).isFalse();
  }

  @Test
  void aWorkerWhoseLastRunWentWellIsNotFailing() {
    assertThat(worker(T0, null, null).failingFor(Duration.ZERO)).isFalse();
    assertThat(worker(null, null, null).failingFor(Duration.ZERO)).isFalse();
  }

  private static DispatcherMetrics.Worker worker(
      Instant lastRunAt, String lastError, Instant failingSince) {
    return DispatcherMetrics.Worker.of("cleanup-processor", true)
        .ran(1, lastRunAt, lastError, failingSince);
  }
}
