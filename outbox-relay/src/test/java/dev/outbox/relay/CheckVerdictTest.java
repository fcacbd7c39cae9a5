package dev.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckVerdictTest {

  private final CheckLedger ledger = new CheckLedger();

  CheckVerdictTest() {
    ledger.committed("a-1", "a", 1);
    ledger.committed("a-2", "a", 2);
    ledger.committed("b-1", "b", 1);
    ledger.rolledBack("b-x");
  }

  @Test
  void passesWhenEachCommittedEventIsThereInItsAggregatesOrderDuplicatesAllowed() {
    CheckVerdict verdict =
        CheckVerdict.of(
            ledger,
            List.of(List.of(d("a-1", 0), d("a-2", 0), d("a-1", 0)), List.of(d("b-1", 1))),
            Set.of());
    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.line())
        .isEqualTo(
            "PASSED: committed=3 rolled_back=1 delivered=4 lost=0 phantom=0 reordered=0 split=0"
                + " dead_lettered=0 duplicates=1");
  }

  @Test
  void failsOnALostAPhantomAReorderedASplitAndADeadLetteredEvent() {
    assertThat(CheckVerdict.of(ledger, List.of(List.of(d("a-1", 0), d("a-2", 0))), Set.of()))
        .satisfies(v -> assertThat(v.lost()).isEqualTo(1))
        .satisfies(v -> assertThat(v.passed()).isFalse());
    assertThat(
            CheckVerdict.of(
                ledger,
                List.of(List.of(d("a-1", 0), d("a-2", 0), d("b-1", 0), d("b-x", 0))),
                Set.of()))
        .satisfies(v -> assertThat(v.phantom()).isEqualTo(1));
    assertThat(
            CheckVerdict.of(
                ledger, List.of(List.of(d("a-2", 0), d("a-1", 0), d("b-1", 0))), Set.of()))
        .satisfies(v -> assertThat(v.reordered()).isEqualTo(1));
    assertThat(
            CheckVerdict.of(
                ledger, List.of(List.of(d("a-1", 0), d("b-1", 0)), List.of(d("a-2", 1))), Set.of()))
        .satisfies(v -> assertThat(v.split()).isEqualTo(1))
        .satisfies(v -> assertThat(v.passed()).isFalse());
    assertThat(CheckVerdict.of(ledger, List.of(List.of(d("a-1", 0), d("a-2", 0))), Set.of("b-1")))
        .satisfies(v -> assertThat(v.lost()).isZero())
        .satisfies(v -> assertThat(v.deadLettered()).isEqualTo(1))
        .satisfies(v -> assertThat(v.passed()).isFalse());
  }

  private static CheckTopic.Delivery d(String eventId, int partition) {
    return new CheckTopic.Delivery(eventId, partition);
  }
}
