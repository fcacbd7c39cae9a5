package dev.outbox.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacedWritesTest {

  @TempDir Path dir;

  private static final String[] CONNECTION = {
    "--jdbc-url",
    "u",
    "--db-user",
    "x",
    "--bootstrap-servers",
    "b",
    "--topic",
    "t",
    "--events",
    "10",
    "--aggregates",
    "2",
    "--payload-bytes",
    "100"
  };

  @Test
  void eachEventIsWrittenOnceOnScheduleAndItsCommitTimeRecorded() throws Exception {
    PeerOptions.Paced paced = new PeerOptions.Paced(200, 1, dir.resolve("commits.txt"));
    Map<Integer, Long> writtenAtNanos = new ConcurrentHashMap<>();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    long before = PacedWrites.epochMicros(Instant.now());
    long started = System.nanoTime();

    PacedWrites.run(
        paced,
        i -> {
          threads.add(Thread.currentThread().getName());
          assertThat(writtenAtNanos.put(i, System.nanoTime())).isNull();
        });

    long after = PacedWrites.epochMicros(Instant.now());
    assertThat(writtenAtNanos).hasSize(200);
    assertThat(threads).hasSize(PacedWrites.WRITERS);
    // Event i is not written before its slot, i / rate seconds after the start.
    for (Map.Entry<Integer, Long> e : writtenAtNanos.entrySet()) {
      assertThat(e.getValue() - started).isGreaterThanOrEqualTo(e.getKey() * 5_000_000L);
    }
    List<String> lines = Files.readAllLines(paced.commitTimes(), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(200);
    Map<Integer, Long> committed =
        lines.stream()
            .map(l -> l.split(" ", 2))
            .collect(Collectors.toMap(f -> Integer.parseInt(f[0]), f -> Long.parseLong(f[1])));
    assertThat(committed.keySet()).isEqualTo(writtenAtNanos.keySet());
    assertThat(committed.values()).allSatisfy(m -> assertThat(m).isBetween(before, after));
  }

  @Test
  void aFailedWriteFailsTheRunAndWritesNoCommitTimes() {
    PeerOptions.Paced paced = new PeerOptions.Paced(100, 1, dir.resolve("commits.txt"));
    assertThatThrownBy(
            () ->
                PacedWrites.run(
                    paced,
                    i -> {
                      if (i == 7) {
                        throw new IllegalStateException("database gone");
                      }
                    }))
        .hasMessage("a paced write failed")
        .hasRootCauseMessage("database gone");
    assertThat(paced.commitTimes()).doesNotExist();
  }

  @Test
  void optionsMakeAPacedRunOnlyWithAllThreePacedOptions() {
    assertThat(PeerOptions.parse(CONNECTION).paced()).isEmpty();
    PeerOptions options =
        PeerOptions.parse(
            concat(
                CONNECTION,
                "--paced-rate",
                "1000",
                "--paced-seconds",
                "35",
                "--commit-times",
                "/tmp/c"));
    assertThat(options.paced()).contains(new PeerOptions.Paced(1000, 35, Path.of("/tmp/c")));
    assertThat(options.paced().orElseThrow().events()).isEqualTo(35_000);
    assertThatThrownBy(() -> PeerOptions.parse(concat(CONNECTION, "--paced-rate", "1000")))
        .hasMessage("--paced-seconds is required");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
