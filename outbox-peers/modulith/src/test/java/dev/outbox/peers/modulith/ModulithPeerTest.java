package dev.outbox.peers.modulith;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedPostgresServer;
import dev.outbox.peers.PeerEvents;
import dev.outbox.peers.PeerOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ModulithPeerTest {

  private static final int EVENTS = 2_000;
  private static final int AGGREGATES = 100;
  private static final int PAYLOAD_BYTES = 300;

  @Test
  void drainsTheBacklogToKafka() throws Exception {
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      postgres.createDatabase("modulith");
      kafka.createTopic("modulith", 4);
      PeerOptions options =
          new PeerOptions(
              postgres.jdbcUrl("modulith"),
              postgres.user(),
              postgres.password(),
              kafka.bootstrapServers(),
              "modulith",
              EVENTS,
              AGGREGATES,
              PAYLOAD_BYTES);

      ModulithPeer.Drain drain = ModulithPeer.run(options);

      assertThat(drain.nanos()).isPositive();
      assertThat(drain.settings()).containsEntry("completion_mode", "update");
      List<ConsumerRecord<String, String>> records =
          kafka.read("modulith", EVENTS, Duration.ofSeconds(30));
      Set<String> delivered = new HashSet<>();
      Map<String, Long> last = new HashMap<>();
      int reordered = 0;
      for (ConsumerRecord<String, String> record : records) {
        String aggregate = PeerEvents.aggregateOf(record.value());
        long seq = PeerEvents.sequenceOf(record.value());
        assertThat(record.key()).isEqualTo(aggregate);
        assertThat(record.value()).isEqualTo(PeerEvents.payload(aggregate, seq, PAYLOAD_BYTES));
        delivered.add(aggregate + "/" + seq);
        Long previous = last.put(aggregate, seq);
        if (previous != null && seq < previous) {
          reordered++;
        }
      }
      assertThat(delivered).hasSize(EVENTS);
      System.out.printf(
          "spring-modulith: %d events in %.0f ms, %d records, %d reordered%n",
          EVENTS, drain.nanos() / 1e6, records.size(), reordered);
    }
  }
}
