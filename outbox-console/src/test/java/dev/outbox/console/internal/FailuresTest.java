package dev.outbox.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void masksBeforeCuttingSoNoHalfSecretIsLeft() {
    String error = "x".repeat(390) + " jdbc:postgresql://app:hunter2@db/orders";
    assertThat(Failures.describe(new IllegalStateException(error)))
        .doesNotContain("hunter2")
        .doesNotContain("hunt");
  }
}
