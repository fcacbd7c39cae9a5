package dev.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void masksUrlCredentialsSettingsJsonFieldsAndAuthorizationHeaders() {
    assertThat(Redaction.mask("cannot connect to jdbc:postgresql://app:hunter2@db:5432/orders"))
        .isEqualTo("cannot connect to jdbc:postgresql://******@db:5432/orders");
    assertThat(Redaction.mask("sasl.jaas.config password=hunter2 user=app"))
        .isEqualTo("sasl.jaas.config password=****** user=app");
    assertThat(Redaction.mask("body {\"password\":\"hunter2\",\"user\":\"app\"}"))
        .isEqualTo("body {\"password\":******,\"user\":\"app\"}");
    assertThat(Redaction.mask("sent Authorization: Bearer abc.def-123 and api_key: k1"))
        .isEqualTo("sent Authorization: Bearer ****** and api_key: ******");
    assertThat(Redaction.mask("TimeoutException: Expiring 1 record(s) for orders-0"))
        .isEqualTo("TimeoutException: Expiring 1 record(s) for orders-0");
  }

  @Test
  void aFailureIsDescribedInOneLineMaskedBeforeItIsCut() {
    String error = "x".repeat(390) + " jdbc:postgresql://app:hunter2@db/orders";
    assertThat(Redaction.describe(new IllegalStateException(error)))
        .hasSizeLessThanOrEqualTo(400)
        .doesNotContain("hunt");
    assertThat(
            Redaction.describe(
                new IllegalStateException(
                    "could not connect", new java.io.IOException("refused\nby the host"))))
        .isEqualTo("could not connect: refused by the host");
  }
}
