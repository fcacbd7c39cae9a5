package dev.outbox.peers.modulith;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.embedded.EmbeddedKafka;
import dev.outbox.embedded.EmbeddedPostgresServer;
import dev.outbox.peers.PeerEvents;
import dev.outbox.peers.PeerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
              PAYLOAD_BYTES,
              Optional.empty());

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

  @Test
  void aPacedRunPublishesEveryEventWrittenWithTheRelayRunningAndRecordsItsCommit(@TempDir Path dir)
      throws Exception {
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      postgres.createDatabase("paced");
      kafka.createTopic("modulith-paced", 1);
      PeerOptions.Paced paced = new PeerOptions.Paced(100, 3, dir.resolve("commits.txt"));
      PeerOptions options =
          new PeerOptions(
              postgres.jdbcUrl("paced"),
              postgres.user(),
              postgres.password(),
              kafka.bootstrapServers(),
              "modulith-paced",
              paced.events(),
              AGGREGATES,
              300,
              Optional.of(paced));

      ModulithPeer.paced(options, paced);

      assertThat(Files.readAllLines(paced.commitTimes())).hasSize(300);
      Set<String> delivered = new HashSet<>();
      for (ConsumerRecord<String, String> record :
          kafka.read("modulith-paced", 301, Duration.ofSeconds(3))) {
        delivered.add(
            PeerEvents.aggregateOf(record.value()) + "/" + PeerEvents.sequenceOf(record.value()));
      }
      assertThat(delivered).hasSize(300);
    }
  }
}
