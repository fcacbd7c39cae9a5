package dev.outbox.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Everything measured on one database engine in one run. */
record EngineResult(
    String engine,
    double kafkaCeilingEps,
    double claimCeilingEps,
    double drainEps,
    double heapMb,
    double growthDrainEps,
    int growthSentRows,
    List<LatencyBenchmark.Latency> latencies,
    List<WriteOverheadBenchmark.Overhead> overheads) {

  double drainVsClaim() {
    return drainEps / claimCeilingEps;
  }

  double drainVsKafka() {
    return drainEps / kafkaCeilingEps;
  }

  double growthRatio() {
    return growthDrainEps / drainEps;
  }

  /** The worse of the measured thread counts, for one kind of business transaction. */
  double writeOverhead(WriteOverheadBenchmark.Kind kind) {
    return overheads.stream()
        .filter(o -> o.kind() == kind)
        .mapToDouble(WriteOverheadBenchmark.Overhead::ratio)
        .max()
        .orElse(0);
  }

  /** p99 at 1,000 events/s, or at the lowest rate measured when 1,000 was not. */
  double p99At1k() {
    return latencies.stream()
        .filter(l -> l.rate() == 1_000)
        .findFirst()
        .orElse(latencies.get(0))
        .p99();
  }

  String benchLine() {
    return String.format(
        Locale.ROOT,
        "bench: engine=%s drain_eps=%.0f claim_ceiling_eps=%.0f kafka_ceiling_eps=%.0f"
            + " drain_vs_claim=%.2f p99_ms_1k=%.1f write_overhead=%.2f"
            + " write_overhead_realistic=%.2f growth_ratio=%.2f heap_mb=%.0f",
        engine,
        drainEps,
        claimCeilingEps,
        kafkaCeilingEps,
        drainVsClaim(),
        p99At1k(),
        writeOverhead(WriteOverheadBenchmark.Kind.ONE_ROW),
        writeOverhead(WriteOverheadBenchmark.Kind.REALISTIC),
        growthRatio(),
        heapMb);
  }

  String table() {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "%n== %s ==%n", engine));
    row(t, "bare Kafka producer (ceiling)", "%.0f events/s", kafkaCeilingEps);
    row(t, "bare claim loop (ceiling)", "%.0f rows/s", claimCeilingEps);
    row(t, "drain, empty table", "%.0f events/s", drainEps);
    row(t, "  vs claim loop / vs Kafka", "%.2f / %.2f", drainVsClaim(), drainVsKafka());
    row(t, "drain, " + growthSentRows + " sent rows kept", "%.0f events/s", growthDrainEps);
    row(t, "  growth ratio", "%.2f", growthRatio());
    row(t, "heap high-water during drain", "%.0f MB", heapMb);
    for (LatencyBenchmark.Latency l : latencies) {
      row(
          t,
          "latency at " + l.rate() + " events/s",
          "p50 %.1f  p95 %.1f  p99 %.1f  max %.1f ms (%d events, %d not acknowledged)",
          l.p50(),
          l.p95(),
          l.p99(),
          l.max(),
          l.events(),
          l.unacknowledged());
    }
    for (WriteOverheadBenchmark.Overhead o : overheads) {
      row(
          t,
          "write overhead, " + o.kind().label + ", " + o.threads() + " thr",
          "%.0f tx/s plain, %.0f with outbox: %.2fx",
          o.plainTps(),
          o.withOutboxTps(),
          o.ratio());
    }
    return t.toString();
  }

  private static void row(StringBuilder t, String name, String format, Object... values) {
    t.append(String.format(Locale.ROOT, "  %-36s " + format + "%n", prepend(name, values)));
  }

  private static Object[] prepend(String name, Object[] values) {
    Object[] all = new Object[values.length + 1];
    all[0] = name;
    System.arraycopy(values, 0, all, 1, values.length);
    return all;
  }

  String json() {
    String latencyJson =
        latencies.stream()
            .map(
                l ->
                    String.format(
                        Locale.ROOT,
                        "{\"rate\":%d,\"events\":%d,\"unacknowledged\":%d,\"p50_ms\":%.2f,"
                            + "\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}",
                        l.rate(),
                        l.events(),
                        l.unacknowledged(),
                        l.p50(),
                        l.p95(),
                        l.p99(),
                        l.max()))
            .collect(Collectors.joining(",", "[", "]"));
    String overheadJson =
        overheads.stream()
            .map(
                o ->
                    String.format(
                        Locale.ROOT,
                        "{\"transaction\":\"%s\",\"threads\":%d,\"plain_tps\":%.1f,"
                            + "\"outbox_tps\":%.1f,\"ratio\":%.3f}",
                        o.kind().label,
                        o.threads(),
                        o.plainTps(),
                        o.withOutboxTps(),
                        o.ratio()))
            .collect(Collectors.joining(",", "[", "]"));
    return String.format(
        Locale.ROOT,
        "{\"engine\":\"%s\",\"kafka_ceiling_eps\":%.1f,\"claim_ceiling_eps\":%.1f,"
            + "\"drain_eps\":%.1f,\"drain_vs_claim\":%.3f,\"drain_vs_kafka\":%.3f,"
            + "\"growth_sent_rows\":%d,\"growth_drain_eps\":%.1f,\"growth_ratio\":%.3f,"
            + "\"heap_mb\":%.1f,\"latency\":%s,\"write_overhead\":%s}",
        engine,
        kafkaCeilingEps,
        claimCeilingEps,
        drainEps,
        drainVsClaim(),
        drainVsKafka(),
        growthSentRows,
        growthDrainEps,
        growthRatio(),
        heapMb,
        latencyJson,
        overheadJson);
  }
}
