package dev.outbox.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbox.console.internal.ListenAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which names the console answers to, and which it refuses as DNS rebinding would send them. */
class HostCheckTest {

  private final HostCheck loopbackOnly = HostCheck.of(List.of(), ListenAddress.of("127.0.0.1"));

  @Test
  void answersToLocalhostAndLoopbackAddressesWithOrWithoutAPort() {
    for (String host :
        List.of("localhost", "LOCALHOST:8480", "127.0.0.1:8480", "127.0.0.2", "[::1]:8480")) {
      assertThat(loopbackOnly.refusal(host, null, "127.0.0.1")).as(host).isNull();
    }
  }

  @Test
  void refusesAnyOtherNameAsARebindingPageWouldSendIt() {
    for (String host : List.of("evil.example:8480", "localhost.evil.example", "127.0.0.1.nip.io")) {
      assertThat(loopbackOnly.refusal(host, null, "127.0.0.1"))
          .as(host)
          .contains("does not answer to the host", "outbox.console.allowed-hosts");
    }
    assertThat(loopbackOnly.refusal("localhost.", null, "127.0.0.1")).isNotNull();
    assertThat(loopbackOnly.refusal(null, null, "127.0.0.1")).contains("no Host header");
    assertThat(loopbackOnly.refusal("evil.example:80:80", null, "127.0.0.1"))
        .contains("not a host name");
    assertThat(loopbackOnly.refusal("a b", null, "127.0.0.1")).contains("not a host name");
    // Not an address, and not looked up as a name either.
    assertThat(loopbackOnly.refusal("[localhost]:8480", null, "127.0.0.1")).isNotNull();
    assertThat(loopbackOnly.refusal("[evil.example]", null, "127.0.0.1")).isNotNull();
  }

  @Test
  void answersToTheAddressARequestCameInOnButNoOtherAddress() {
    HostCheck everyInterface = HostCheck.of(List.of(), ListenAddress.of("0.0.0.0"));
    assertThat(everyInterface.refusal("192.0.2.7:8480", null, "192.0.2.7")).isNull();
    assertThat(everyInterface.refusal("[2001:db8::7]:8480", null, "2001:db8:0:0:0:0:0:7")).isNull();
    assertThat(everyInterface.refusal("192.0.2.8:8480", null, "192.0.2.7")).isNotNull();
    assertThat(everyInterface.refusal("0.0.0.0:8480", null, "192.0.2.7")).isNotNull();
  }

  @Test
  void answersToTheNameServerAddressGivesAndTheAllowedHosts() {
    HostCheck check =
        HostCheck.of(
            List.of("ops.example.com", ".internal.example", "192.0.2.9"),
            ListenAddress.of("localhost"));
    for (String host :
        List.of(
            "ops.example.com",
            "OPS.example.com:443",
            "internal.example",
            "relay.eu.internal.example:8480",
            "192.0.2.9:8480")) {
      assertThat(check.refusal(host, null, "127.0.0.1")).as(host).isNull();
    }
    for (String host : List.of("example.com", "xops.example.com", "internal.example.evil.com")) {
      assertThat(check.refusal(host, null, "127.0.0.1")).as(host).isNotNull();
    }
    assertThat(
            HostCheck.of(List.of("*"), ListenAddress.of(null)).refusal("evil.example", "x", null))
        .isNull();
  }

  @Test
  void theForwardedHostTheServerSeesMustBeAnsweredToAsWellAsTheHostHeader() {
    // A rebinding page can add X-Forwarded-Host; a trusted proxy's, the server takes as its name.
    assertThat(loopbackOnly.refusal("127.0.0.1:8480", "evil.example", "127.0.0.1"))
        .contains("evil.example");
    assertThat(loopbackOnly.refusal("evil.example", "localhost", "127.0.0.1"))
        .contains("evil.example");
    assertThat(loopbackOnly.refusal("127.0.0.1:8480", "0:0:0:0:0:0:0:1", "127.0.0.1")).isNull();
  }

  @Test
  void anAllowedHostWithASchemeOrPortIsRefusedAtStart() {
    assertThatThrownBy(
            () -> HostCheck.of(List.of("https://ops.example.com"), ListenAddress.of(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outbox.console.allowed-hosts", "https://ops.example.com");
    assertThatThrownBy(() -> HostCheck.of(List.of("ops.example.com:8480"), ListenAddress.of(null)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
