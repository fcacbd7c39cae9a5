package dev.outbox.benchmarks;

import dev.outbox.Dispatcher;
import dev.outbox.kafka.KafkaPublisher;
import java.time.Duration;
import javax.sql.DataSource;

/** The relay as the benchmark runs it: our dispatcher and Kafka publisher, tuned for volume. */
final class Relay {

  private Relay() {}

  static TimingPublisher publisher(String bootstrapServers) {
    return new TimingPublisher(
        KafkaPublisher.builder()
            .bootstrapServers(bootstrapServers)
            .clientId("outbox-bench")
            .build());
  }

  static Dispatcher start(DataSource dataSource, TimingPublisher publisher, BenchOptions options) {
    Dispatcher dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .batchSize(options.batchSize())
            .pollInterval(options.pollInterval())
            .shutdownTimeout(Duration.ofSeconds(30))
            .build();
    dispatcher.start();
    return dispatcher;
  }
}
