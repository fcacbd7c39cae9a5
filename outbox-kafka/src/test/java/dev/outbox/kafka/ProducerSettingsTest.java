package dev.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProducerSettingsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ssl.key.password",
        "ssl.keystore.password",
        "ssl.truststore.password",
        "ssl.keystore.key",
        "sasl.jaas.config",
        "sasl.oauthbearer.client.credentials.client.secret",
        "sasl.oauthbearer.assertion.private.key.passphrase",
        "sasl.oauthbearer.assertion.private.key.file",
        "sasl.oauthbearer.token.endpoint.url",
        "my.plugin.apiKey",
        "my.plugin.api-key",
        "custom.SECRET",
        "delegation.token"
      })
  void masksSecrets(String name) {
    assertThat(ProducerSettings.isSecret(name)).isTrue();
    assertThat(ProducerSettings.masked(Map.of(name, "hunter2"))).containsEntry(name, "****");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bootstrap.servers",
        "acks",
        "security.protocol",
        "sasl.mechanism",
        "ssl.keystore.location",
        "ssl.keystore.type",
        "ssl.truststore.location",
        "ssl.keymanager.algorithm",
        "partitioner.ignore.keys",
        "linger.ms"
      })
  void showsOrdinarySettings(String name) {
    assertThat(ProducerSettings.isSecret(name)).isFalse();
    assertThat(ProducerSettings.masked(Map.of(name, "v"))).containsEntry(name, "v");
  }
}
