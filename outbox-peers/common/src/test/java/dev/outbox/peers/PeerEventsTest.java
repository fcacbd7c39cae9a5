package dev.outbox.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerEventsTest {

  @Test
  void eachAggregatesEventsAreInOrderOfTheirSequenceAndTheirPayloadTellsBoth() {
    assertThat(PeerEvents.aggregate(12, 10)).isEqualTo("agg-2");
    assertThat(PeerEvents.sequence(12, 10)).isEqualTo(1);
    String payload = PeerEvents.payload("agg-2", 1, 300);
    assertThat(payload).hasSize(300).startsWith("{\"aggregate\":\"agg-2\",\"seq\":1,");
    assertThat(PeerEvents.aggregateOf(payload)).isEqualTo("agg-2");
    assertThat(PeerEvents.sequenceOf(payload)).isEqualTo(1);
  }

  @Test
  void optionsNameWhatIsMissingOrBad() {
    assertThatThrownBy(() -> PeerOptions.parse(new String[] {"--jdbc-url", "jdbc:x"}))
        .hasMessage("--db-user is required");
    String[] bad = {
      "--jdbc-url",
      "u",
      "--db-user",
      "x",
      "--bootstrap-servers",
      "b",
      "--topic",
      "t",
      "--events",
      "0",
      "--aggregates",
      "1",
      "--payload-bytes",
      "300"
    };
    assertThatThrownBy(() -> PeerOptions.parse(bad))
        .hasMessage("--events must be a positive integer, was 0");
  }
}
