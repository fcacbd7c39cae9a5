package dev.outbox.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checks themselves: each kind of breach is counted, and only faults excuse duplicates. */
class VerdictTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final Ledger ledger = new Ledger();

  @Test
  void inOrderDeliveryOfEveryCommittedEventPasses() {
    commit("a1", "a", 1);
    commit("a2", "a", 2);
    commit("b1", "b", 1);

    Verdict verdict = verdict(List.of(List.of(at("a1", 0), at("b1", 1), at("a2", 2))), List.of());

    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.delivered()).isEqualTo(3);
    assertThat(verdict.line())
        .isEqualTo(
            "checker: engine=h2 events=3 committed=3 rolledback=0 delivered=3 deadletters=0"
                + " lost=0 phantom=0 reordered=0 duplicates=0 faults=0 outage_deadletters=0"
                + " unexplained_duplicates=0 skew_ms=0");
  }

  @Test
  void committedEventNeitherDeliveredNorDeadLetteredIsLost() {
    commit("a1", "a", 1);
    commit("a2", "a", 2);
    commit("a3", "a", 3);

    Verdict verdict =
        Verdict.of(
            "h2", ledger, List.of(List.of(at("a1", 0))), Set.of("a3"), 0, 1, 0, 0, List.of());

    assertThat(verdict.lost()).isEqualTo(1);
    assertThat(verdict.examples()).containsExactly("lost a2");
    assertThat(verdict.passed()).isFalse();
  }

  @Test
  void deadLetterLeftAtTheEndFailsTheRunThoughItIsNotCountedLost() {
    commit("a1", "a", 1);

    Verdict verdict = Verdict.of("h2", ledger, List.of(), Set.of("a1"), 1, 1, 0, 0, List.of());

    assertThat(verdict.lost()).isZero();
    assertThat(verdict.passed()).isFalse();
  }

  @Test
  void duplicateIsExplainedWhicheverCopyCarriesTheEarlierTimestamp() {
    commit("a1", "a", 1);
    Fault pause = new Fault(FaultKind.PAUSE_DISPATCHER, 2, T0.plusSeconds(10), T0.plusSeconds(18));

    Verdict verdict = verdict(List.of(List.of(at("a1", 12), at("a1", 9))), List.of(pause));

    assertThat(verdict.unexplainedDuplicates()).isZero();
  }

  @Test
  void duplicateWhoseFirstCopyWentOutLongAfterTheFaultIsUnexplained() {
    commit("a1", "a", 1);
    Fault kill = new Fault(FaultKind.KILL_DISPATCHER, 1, T0, T0.plusSeconds(2));

    Verdict verdict = verdict(List.of(List.of(at("a1", 30), at("a1", 40))), List.of(kill));

    assertThat(verdict.unexplainedDuplicates()).isEqualTo(1);
  }

  @Test
  void deliveredRolledBackEventIsPhantom() {
    ledger.rolledBack(List.of(new Ledger.Written("r1", "a", 1)));

    Verdict verdict = verdict(List.of(List.of(at("r1", 0))), List.of());

    assertThat(verdict.phantom()).isEqualTo(1);
    assertThat(verdict.passed()).isFalse();
  }

  @Test
  void inDoubtTransactionCountsAsWhatTheDatabaseSays() {
    ledger.inDoubt("tx1", List.of(new Ledger.Written("c1", "a", 1)));
    ledger.inDoubt("tx2", List.of(new Ledger.Written("n1", "b", 1)));
    ledger.resolve(Set.of("tx1"));

    Verdict verdict = verdict(List.of(List.of(at("c1", 0), at("n1", 1))), List.of());

    assertThat(verdict.committed()).isEqualTo(1);
    assertThat(verdict.rolledBack()).isEqualTo(1);
    assertThat(verdict.phantom()).isEqualTo(1);
  }

  @Test
  void laterEventFirstDeliveredBeforeAnEarlierOneIsReordered() {
    commit("a1", "a", 1);
    commit("a2", "a", 2);

    Verdict verdict = verdict(List.of(List.of(at("a2", 0), at("a1", 1))), List.of());

    assertThat(verdict.reordered()).isEqualTo(1);
    assertThat(verdict.passed()).isFalse();
  }

  @Test
  void redeliveryAfterTheFirstDeliveryIsADuplicateNotAReordering() {
    commit("a1", "a", 1);
    commit("a2", "a", 2);
    Fault kill = new Fault(FaultKind.KILL_DISPATCHER, 1, T0.plusSeconds(1), T0.plusSeconds(2));

    Verdict verdict =
        verdict(List.of(List.of(at("a1", 0), at("a2", 1), at("a1", 9))), List.of(kill));

    assertThat(verdict.reordered()).isZero();
    assertThat(verdict.duplicates()).isEqualTo(1);
    assertThat(verdict.unexplainedDuplicates()).isZero();
    assertThat(verdict.passed()).isTrue();
  }

  @Test
  void duplicateWithNoFaultNearItIsUnexplained() {
    commit("a1", "a", 1);
    Fault longBefore =
        new Fault(FaultKind.STOP_BROKER, 0, T0.minus(Duration.ofMinutes(5)), T0.minusSeconds(280));

    Verdict verdict = verdict(List.of(List.of(at("a1", 0), at("a1", 1))), List.of(longBefore));

    assertThat(verdict.duplicates()).isEqualTo(1);
    assertThat(verdict.unexplainedDuplicates()).isEqualTo(1);
    assertThat(verdict.passed()).isFalse();
  }

  private void commit(String eventId, String aggregateId, long sequence) {
    ledger.committed(List.of(new Ledger.Written(eventId, aggregateId, sequence)));
  }

  private Verdict verdict(List<List<Delivery>> partitions, List<Fault> faults) {
    return Verdict.of("h2", ledger, partitions, Set.of(), 0, 0, 0, 0, faults);
  }

  private static Delivery at(String eventId, int second) {
    return new Delivery(eventId, T0.plusSeconds(second));
  }
}
