package dev.outbox.benchmarks;

import java.time.Duration;
import java.util.List;

/** The sizes of one benchmark run: the full run of the issue, or a quick smoke run. */
record BenchOptions(
    boolean quick,
    List<String> engines,
    int drainEvents,
    int payloadBytes,
    int aggregates,
    List<Integer> latencyRates,
    Duration latencyDuration,
    Duration overheadDuration,
    int growthSentRows,
    int batchSize,
    Duration pollInterval,
    String output) {

  static final String USAGE =
      """
      Usage: mvn -q -pl outbox-benchmarks -am compile exec:exec -Dbench.args="[options]"

      Measures the relay on embedded PostgreSQL and MariaDB against the raw ceilings of the same
      database and Kafka broker in the same run, prints a table and one bench: line per engine.
        --full              the full run, about 10 minutes (default)
        --quick             a 40-second smoke run with small sizes
        --engines LIST      postgresql,mariadb (default both)
        --output FILE       the results as JSON (default target/benchmark-results.json)
        --help              this text
      """;

  static BenchOptions full(List<String> engines, String output) {
    return new BenchOptions(
        false,
        engines,
        200_000,
        300,
        10_000,
        List.of(1_000, 5_000),
        Duration.ofSeconds(60),
        Duration.ofSeconds(10),
        5_000_000,
        1_000,
        Duration.ofMillis(100),
        output);
  }

  static BenchOptions quick(List<String> engines, String output) {
    return new BenchOptions(
        true,
        engines,
        5_000,
        300,
        500,
        List.of(200, 1_000),
        Duration.ofSeconds(3),
        Duration.ofSeconds(1),
        50_000,
        1_000,
        Duration.ofMillis(100),
        output);
  }

  static BenchOptions parse(String[] args) {
    boolean quick = false;
    List<String> engines = List.of("postgresql", "mariadb");
    String output = "target/benchmark-results.json";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--full" -> quick = false;
        case "--engines" -> engines = List.of(value(args, ++i).split(","));
        case "--output" -> output = value(args, ++i);
        default ->
            throw new IllegalArgumentException(
                "unknown option '" + args[i] + "'; --help lists the options");
      }
    }
    for (String engine : engines) {
      if (!engine.equals("postgresql") && !engine.equals("mariadb")) {
        throw new IllegalArgumentException(
            "--engines takes postgresql and/or mariadb, was '" + engine + "'");
      }
    }
    return quick ? quick(engines, output) : full(engines, output);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
