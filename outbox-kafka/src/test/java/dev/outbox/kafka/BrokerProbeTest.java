package dev.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.spi.BrokerAvailability;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerProbeTest {

  /** A port nothing listens on: taken, then given back. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * The admin client does not rebootstrap (it did so in a busy loop, logging each time), so a probe
   * that has not reached a broker for a while renews it, and goes on answering after the renewal.
   */
  @Test
  void aProbeThatRenewsItsAdminClientDuringAnOutageGoesOnAnswering() throws IOException {
    Map<String, Object> producer =
        Map.of("bootstrap.servers", "127.0.0.1:" + closedPort(), "client.id", "probe-test");
    try (BrokerProbe probe = new BrokerProbe(producer, Duration.ZERO)) {
      for (int check = 0; check < 3; check++) {
        assertThat(probe.check(Duration.ofMillis(300))).isEqualTo(BrokerAvailability.UNAVAILABLE);
      }
    }
  }

  /**
   * Regression: with no broker to reach, an admin client that rebootstraps does so in a busy loop,
   * logging each time at INFO (98,541 lines in a 60 s outage).
   */
  @Test
  void theAdminClientNeverRebootstrapsAndTakesTheProducersConnectionSettings() {
    Map<String, Object> producer =
        Map.of(
            "bootstrap.servers", "broker:9092",
            "security.protocol", "SSL",
            "client.id", "orders",
            "acks", "all",
            "metadata.recovery.strategy", "rebootstrap");
    try (BrokerProbe probe = new BrokerProbe(producer)) {
      assertThat(probe.adminConfig())
          .containsEntry("metadata.recovery.strategy", "none")
          .containsEntry("bootstrap.servers", "broker:9092")
          .containsEntry("security.protocol", "SSL")
          .containsEntry("client.id", "orders-availability")
          .doesNotContainKey("acks");
    }
  }

  @Test
  void aClosedProbeCannotTell() throws IOException {
    BrokerProbe probe =
        new BrokerProbe(Map.of("bootstrap.servers", "127.0.0.1:" + closedPort()), Duration.ZERO);
    probe.close();

    assertThat(probe.check(Duration.ofMillis(300))).isEqualTo(BrokerAvailability.UNKNOWN);
  }
}
