package dev.outbox.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Kafka broker in a child JVM ({@link BrokerMain}), stopped with the benchmark. */
final class BrokerProcess implements AutoCloseable {

  private final Process process;
  private final String bootstrapServers;

  private BrokerProcess(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  static BrokerProcess start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx768m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BrokerMain.class.getName()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("BOOTSTRAP ")) {
        return new BrokerProcess(process, line.substring("BOOTSTRAP ".length()).trim());
      }
    }
    process.destroyForcibly();
    throw new IOException("The broker process ended before it was ready");
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
