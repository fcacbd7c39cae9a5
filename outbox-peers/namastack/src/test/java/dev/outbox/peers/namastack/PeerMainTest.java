package dev.outbox.peers.namastack;

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

class PeerMainTest {

  private static final int EVENTS = 2_000;
  private static final int AGGREGATES = 100;

  @Test
  void drainsTheBacklogToTheTopicOnceEachInEachAggregatesOrder() {
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      postgres.createDatabase("peer");
      kafka.createTopic("peer-events", 8);
      PeerOptions options =
          new PeerOptions(
              postgres.jdbcUrl("peer"),
              postgres.user(),
              postgres.password(),
              kafka.bootstrapServers(),
              "peer-events",
              EVENTS,
              AGGREGATES,
              300,
              Optional.empty());

      String line = PeerMain.run(options);

      assertThat(line)
          .startsWith("peer: name=namastack version=1.6.0 events=2000 drain_eps=")
          .contains("polling.fixed.interval=25ms");
      // One more than written: a duplicate would show up here, after the read waits for it.
      List<ConsumerRecord<String, String>> records =
          kafka.read("peer-events", EVENTS + 1, Duration.ofSeconds(3));
      assertThat(records).hasSize(EVENTS);
      Set<String> delivered = new HashSet<>();
      Map<String, Long> lastSequence = new HashMap<>();
      for (ConsumerRecord<String, String> record : records) {
        String aggregate = PeerEvents.aggregateOf(record.value());
        long sequence = PeerEvents.sequenceOf(record.value());
        assertThat(record.key()).isEqualTo(aggregate);
        assertThat(record.value()).hasSize(300);
        assertThat(delivered.add(aggregate + "/" + sequence)).isTrue();
        // Records of one partition come in offset order, and one aggregate is in one partition.
        assertThat(sequence).isEqualTo(lastSequence.getOrDefault(aggregate, -1L) + 1);
        lastSequence.put(aggregate, sequence);
      }
      assertThat(lastSequence).hasSize(AGGREGATES);
    }
  }

  @Test
  void aPacedRunPublishesEveryEventWrittenWithTheRelayRunningAndRecordsItsCommit(@TempDir Path dir)
      throws Exception {
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start();
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      postgres.createDatabase("paced");
      kafka.createTopic("peer-paced", 1);
      PeerOptions.Paced paced = new PeerOptions.Paced(100, 3, dir.resolve("commits.txt"));
      PeerOptions options =
          new PeerOptions(
              postgres.jdbcUrl("paced"),
              postgres.user(),
              postgres.password(),
              kafka.bootstrapServers(),
              "peer-paced",
              paced.events(),
              AGGREGATES,
              300,
              Optional.of(paced));

      PeerMain.paced(options, paced);

      assertThat(Files.readAllLines(paced.commitTimes())).hasSize(300);
      Set<String> delivered = new HashSet<>();
      for (ConsumerRecord<String, String> record :
          kafka.read("peer-paced", 301, Duration.ofSeconds(3))) {
        delivered.add(
            PeerEvents.aggregateOf(record.value()) + "/" + PeerEvents.sequenceOf(record.value()));
      }
      assertThat(delivered).hasSize(300);
    }
  }
}
