package dev.outbox.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of {@link KafkaProcess}: runs an {@link EmbeddedKafka} and obeys one command per
 * line of its standard input ({@code stop}, {@code start}), answering each on standard output once
 * done. It prints {@code BOOTSTRAP <servers>} when first ready and ends when its input closes.
 */
public final class KafkaProcessMain {

  static final String READY = "BOOTSTRAP ";
  static final String DONE = "DONE ";

  private KafkaProcessMain() {}

  public static void main(String[] args) throws IOException {
    // Standard output carries only the protocol; whatever the broker logs goes to standard error.
    PrintStream control = System.out;
    System.setOut(System.err);
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      control.println(READY + kafka.bootstrapServers());
      control.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String command = in.readLine(); command != null; command = in.readLine()) {
        switch (command.trim()) {
          case "stop" -> kafka.stop();
          case "start" -> kafka.restart();
          default -> System.err.println("Unknown command: " + command);
        }
        control.println(DONE + command.trim());
        control.flush();
      }
    }
    System.exit(0);
  }
}
