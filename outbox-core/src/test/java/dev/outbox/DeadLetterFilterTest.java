package dev.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

  @Test
  void blankFieldsAreNoFilterAndGivenOnesAreStripped() {
    DeadLetterFilter filter =
        DeadLetterFilter.builder().eventType("  ").aggregateType(" Order ").error("").build();

    assertThat(filter.describe()).isEqualTo("aggregateType=Order");
    assertThat(filter.query().build().aggregateType()).isEqualTo("Order");
    assertThat(DeadLetterFilter.builder().eventType(" ").build().isEmpty()).isTrue();
  }

  @Test
  void aWrongFieldIsNamedWithItsProblem() {
    assertThatThrownBy(() -> DeadLetterFilter.builder().aggregateId("7").build())
        .hasMessage("aggregateId needs aggregateType: an aggregate is its type and its id");
    assertThatThrownBy(() -> DeadLetterFilter.builder().from("yesterday"))
        .hasMessage(
            "from must be an ISO-8601 instant such as 2026-12-01T09:00:00Z, was 'yesterday'");
    assertThatThrownBy(
            () ->
                DeadLetterFilter.builder()
                    .from("2026-12-02T00:00:00Z")
                    .to("2026-12-01T00:00:00Z")
                    .build())
        .hasMessageStartingWith("from (2026-12-02T00:00:00Z) must be before to");
  }

  @Test
  void aBulkOperationOnEveryDeadLetterMustSaySo() {
    assertThatThrownBy(() -> DeadLetterFilter.NONE.forBulk(false, "all=true"))
        .hasMessageStartingWith("replaying or purging every dead letter needs all=true");
    assertThat(DeadLetterFilter.NONE.forBulk(true, "all=true"))
        .satisfies(every -> assertThat(every.isEmpty()).isTrue())
        .satisfies(every -> assertThat(every.selectsForBulk()).isTrue());
    assertThat(DeadLetterFilter.NONE.selectsForBulk()).isFalse();
    DeadLetterFilter byType = DeadLetterFilter.builder().eventType("OrderPlaced").build();
    assertThat(byType.forBulk(false, "--all")).isSameAs(byType);
    assertThatThrownBy(() -> byType.forBulk(true, "--all"))
        .hasMessage("--all selects every dead letter: give filters or --all, not both");
  }
}
