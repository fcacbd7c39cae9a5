package dev.outbox.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The highest retained heap seen while it runs: the survivor and old generations, sampled every 20
 * ms. Eden is left out: it holds short-lived garbage whose size is the collector's choice, not the
 * relay's need.
 */
final class HeapSampler implements AutoCloseable {

  private final List<MemoryPoolMXBean> pools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP && !p.getName().contains("Eden"))
          .toList();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peakBytes;

  HeapSampler() {
    thread = new Thread(this::sample, "bench-heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    while (running) {
      long retained = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
      peakBytes = Math.max(peakBytes, retained);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  double peakMegabytes() {
    return peakBytes / (1024.0 * 1024.0);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
  }
}
