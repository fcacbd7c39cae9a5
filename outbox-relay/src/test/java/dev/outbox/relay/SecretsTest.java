package dev.outbox.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void secretsAreMaskedByTheirNameAndInsideUrls() {
    assertThat(Secrets.mask("spring.datasource.password", "hunter2")).isEqualTo("******");
    assertThat(Secrets.mask("sasl.jaas.config", "PlainLoginModule password=\"x\";"))
        .isEqualTo("******");
    assertThat(Secrets.mask("ssl.key.password", "k")).isEqualTo("******");
    assertThat(
            Secrets.mask(
                "spring.datasource.url", "jdbc:postgresql://db/outbox?user=a&password=b&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/outbox?user=a&password=******&ssl=true");
    assertThat(Secrets.mask("spring.datasource.url", "jdbc:mariadb://app:pw@db:3306/outbox"))
        .isEqualTo("jdbc:mariadb://app:******@db:3306/outbox");
    assertThat(Secrets.mask("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----")).isEqualTo("******");
    assertThat(Secrets.mask("ssl.key.passphrase", "p")).isEqualTo("******");
    assertThat(Secrets.mask("basic.auth.user.info", "u:p")).isEqualTo("******");
    assertThat(Secrets.mask("spring.datasource.url", "jdbc:mysql://app:p@ss@db:3306/outbox"))
        .isEqualTo("jdbc:mysql://app:******@db:3306/outbox");
    assertThat(Secrets.mask("outbox.batch-size", "500")).isEqualTo("500");
    assertThat(Secrets.mask("key.serializer", "x")).isEqualTo("x");
  }
}
