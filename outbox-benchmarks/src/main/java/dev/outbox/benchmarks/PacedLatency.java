package dev.outbox.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The commit-to-acknowledgement latency of a peer's paced run, measured alike for every peer from
 * outside it: from the commit times the peer wrote (dev.outbox.peers.PacedWrites, wall clock in
 * microseconds) to each event's first record in its topic, whose timestamp the broker set when it
 * appended the record ({@code message.timestamp.type=LogAppendTime}, the same wall clock). The
 * broker acknowledges a record once appended, so this leaves out only the acknowledgement's way
 * back to the producer. The append time is in whole milliseconds, cut down: the middle of its
 * millisecond is taken, which leaves each latency within half a millisecond. The first {@code
 * warmupEvents} events are written but not counted, as the peer's JVM warms up; events never
 * appended are counted apart, not in the percentiles.
 */
final class PacedLatency {

  private final int rate;
  private final int aggregates;
  private final int warmupEvents;
  private final long[] committedMicros;
  private final long[] appendedMillis;

  PacedLatency(int rate, int aggregates, int warmupEvents, long[] committedMicros) {
    this.rate = rate;
    this.aggregates = aggregates;
    this.warmupEvents = warmupEvents;
    this.committedMicros = committedMicros;
    this.appendedMillis = new long[committedMicros.length];
  }

  /**
   * The commit times of a paced run of {@code events}: one line {@code <i> <epoch microseconds>}
   * per event.
   *
   * @throws IllegalStateException naming the line that is not one, or an event not there
   */
  static long[] readCommitTimes(Path file, int events) throws IOException {
    long[] micros = new long[events];
    Arrays.fill(micros, -1);
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        int space = line.indexOf(' ');
        try {
          micros[Integer.parseInt(line.substring(0, space))] =
              Long.parseLong(line.substring(space + 1));
        } catch (RuntimeException e) {
          throw new IllegalStateException(
              file + " line " + number + " is not '<i> <epoch microseconds>': " + line, e);
        }
      }
    }
    for (int i = 0; i < events; i++) {
      if (micros[i] < 0) {
        throw new IllegalStateException(file + " has no commit time of event " + i);
      }
    }
    return micros;
  }

  /** One record of the topic: its value and the broker's append time. */
  void accept(@Nullable String value, long appendMillis) {
    BacklogEvent event = BacklogEvent.parse(value, aggregates);
    if (event == null || event.index(aggregates) >= appendedMillis.length) {
      return;
    }
    int i = (int) event.index(aggregates);
    if (appendedMillis[i] == 0 || appendMillis < appendedMillis[i]) {
      appendedMillis[i] = appendMillis;
    }
  }

  /** The latencies of the events after the warm-up; those never appended are unacknowledged. */
  LatencyBenchmark.Latency latency() {
    double[] millis = new double[appendedMillis.length];
    int appended = 0;
    long unacknowledged = 0;
    for (int i = warmupEvents; i < appendedMillis.length; i++) {
      if (appendedMillis[i] == 0) {
        unacknowledged++;
      } else {
        // Below zero only by the half millisecond of the append time's resolution.
        millis[appended++] = Math.max(0, appendedMillis[i] + 0.5 - committedMicros[i] / 1e3);
      }
    }
    return LatencyBenchmark.summarize(rate, Arrays.copyOf(millis, appended), unacknowledged);
  }
}
