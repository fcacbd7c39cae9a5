package dev.outbox.peers;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The paced run every peer makes alike, with its relay running: event {@code i} of the backlog
 * ({@link PeerEvents}) is due {@code i / rate} seconds after the start and written in a transaction
 * of its own, by one of {@value #WRITERS} threads (each takes every {@value #WRITERS}-th event, as
 * outbox-benchmarks' own latency writers do). The time each commit returned is recorded on the wall
 * clock, which the broker's log-append times share, and written to the commit-times file: one line
 * {@code <i> <epoch microseconds>} per event.
 */
public final class PacedWrites {

  public static final int WRITERS = 4;

  /** Writes one event of the backlog in a transaction of its own and returns once committed. */
  @FunctionalInterface
  public interface EventWrite {
    void write(int i) throws Exception;
  }

  private PacedWrites() {}

  /** Writes the paced run's events on schedule, then their commit times to the file. */
  public static void run(PeerOptions.Paced paced, EventWrite write)
      throws IOException, InterruptedException {
    long[] committedMicros = new long[paced.events()];
    long interval = TimeUnit.SECONDS.toNanos(1) / paced.rate();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    Queue<Exception> failures = new ConcurrentLinkedQueue<>();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int first = w;
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = first;
                      i < committedMicros.length && failures.isEmpty();
                      i += WRITERS) {
                    LockSupport.parkNanos(start + i * interval - System.nanoTime());
                    write.write(i);
                    committedMicros[i] = epochMicros(Instant.now());
                  }
                } catch (Exception e) {
                  failures.add(e);
                }
              },
              "paced-writer-" + w);
      writer.start();
      writers.add(writer);
    }
    for (Thread writer : writers) {
      writer.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("a paced write failed", failures.peek());
    }
    try (BufferedWriter out =
        Files.newBufferedWriter(paced.commitTimes(), StandardCharsets.UTF_8)) {
      for (int i = 0; i < committedMicros.length; i++) {
        out.write(i + " " + committedMicros[i] + "\n");
      }
    }
  }

  static long epochMicros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }
}
