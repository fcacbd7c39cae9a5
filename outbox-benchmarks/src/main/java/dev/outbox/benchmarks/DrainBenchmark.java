package dev.outbox.benchmarks;

import dev.outbox.Dispatcher;
import java.sql.SQLException;

/** Time for the relay to publish and mark a backlog already committed. */
final class DrainBenchmark {

  /** Events per second and the heap high-water mark while draining. */
  record Drain(double eventsPerSecond, double heapMegabytes) {}

  private DrainBenchmark() {}

  static Drain run(BenchDatabase db, String bootstrapServers, BenchOptions options)
      throws SQLException, InterruptedException {
    return run(db, bootstrapServers, options, options.drainEvents());
  }

  static Drain run(BenchDatabase db, String bootstrapServers, BenchOptions options, int events)
      throws SQLException, InterruptedException {
    db.fillPending(events, options.payloadBytes(), options.aggregates());
    System.gc();
    TimingPublisher publisher = Relay.publisher(bootstrapServers);
    try (HeapSampler heap = new HeapSampler()) {
      long start = System.nanoTime();
      try (Dispatcher dispatcher = Relay.start(db.dataSource(), publisher, options)) {
        while (db.hasUnsent()) {
          Thread.sleep(50);
        }
        double eps = events / Ceilings.seconds(start);
        return new Drain(eps, heap.peakMegabytes());
      }
    }
  }
}
