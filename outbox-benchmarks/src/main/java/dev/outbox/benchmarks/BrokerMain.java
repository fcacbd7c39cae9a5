package dev.outbox.benchmarks;

import dev.outbox.testkit.EmbeddedKafka;
import java.io.IOException;

/**
 * Runs a Kafka broker in a JVM of its own, so the benchmark's heap and CPU profile are the relay's
 * alone. Prints {@code BOOTSTRAP <servers>} once ready and stops when its standard input closes.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws IOException {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      System.out.println("BOOTSTRAP " + kafka.bootstrapServers());
      System.out.flush();
      while (System.in.read() != -1) {
        // The parent never writes; end of input means it is done or gone.
      }
    }
    System.exit(0);
  }
}
