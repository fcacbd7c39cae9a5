package dev.outbox.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The small checker configuration on every engine: about 20,000 events written by four writers
 * while three dispatcher processes compete, whose host clocks are five minutes apart, and one fault
 * of each kind hits them. The delivery contract must hold: nothing lost, nothing phantom, nothing
 * reordered, every duplicate explained.
 */
class DeliveryCheckerTest {

  @ParameterizedTest
  @ValueSource(strings = {"postgresql", "mariadb", "h2"})
  void contractHoldsThroughOneFaultOfEachKind(String engine, @TempDir Path dir) throws Exception {
    Verdict verdict = new Checker(CheckerOptions.small(engine, dir), System.out).run();
    System.out.println(verdict.line());

    assertThat(verdict.examples()).isEmpty();
    assertThat(verdict.lost()).isZero();
    assertThat(verdict.phantom()).isZero();
    assertThat(verdict.reordered()).isZero();
    assertThat(verdict.unexplainedDuplicates()).isZero();
    assertThat(verdict.passed()).isTrue();

    // The run really exercised what it claims to check.
    assertThat(verdict.events()).isEqualTo(20_000);
    assertThat(verdict.rolledBack()).isPositive();
    assertThat(verdict.delivered()).isEqualTo(verdict.committed()).isPositive();
    assertThat(verdict.deadLetters()).isPositive();
    assertThat(verdict.faults()).isEqualTo(FaultKind.values().length);
    assertThat(verdict.skewMillis())
        .as("dispatchers' host clocks minutes apart")
        .isEqualTo(CheckerOptions.DEFAULT_CLOCK_SKEW.multipliedBy(2).toMillis());
    assertThat(verdict.line())
        .matches(
            "checker: engine="
                + engine
                + " events=\\d+ committed=\\d+ rolledback=\\d+ delivered=\\d+ deadletters=\\d+"
                + " lost=0 phantom=0 reordered=0 duplicates=\\d+ faults=4 outage_deadletters=\\d+"
                + " unexplained_duplicates=0 skew_ms=600000");
  }
}
