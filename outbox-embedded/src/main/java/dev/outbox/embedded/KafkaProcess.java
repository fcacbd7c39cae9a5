package dev.outbox.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka broker ({@link EmbeddedKafka}) in a child JVM of its own: a benchmark's heap and CPU
 * profile stay the relay's alone, and a fault-injecting test can stop the broker and start it again
 * (same ports, same data) while its clients keep running. The child ends when this is closed, or
 * when this JVM ends.
 */
public final class KafkaProcess implements AutoCloseable {

  private final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final String bootstrapServers;

  private KafkaProcess(Process process, BufferedReader out, String bootstrapServers) {
    this.process = process;
    this.out = out;
    this.in = process.outputWriter(StandardCharsets.UTF_8);
    this.bootstrapServers = bootstrapServers;
  }

  /** Starts the broker with its log discarded. */
  public static KafkaProcess start() throws IOException {
    return start(ProcessBuilder.Redirect.DISCARD);
  }

  /** Starts the broker, appending what it logs to {@code log}. */
  public static KafkaProcess start(Path log) throws IOException {
    return start(ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  private static KafkaProcess start(ProcessBuilder.Redirect log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    // Warnings to standard error, kept in the log file, whatever logback-test.xml a test has.
    command.add("-Dlogback.configurationFile=dev/outbox/embedded/broker-logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(KafkaProcessMain.class.getName());
    Process process = new ProcessBuilder(command).redirectError(log).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(KafkaProcessMain.READY)) {
        String servers = line.substring(KafkaProcessMain.READY.length()).trim();
        return new KafkaProcess(process, out, servers);
      }
    }
    process.destroyForcibly();
    throw new IOException("The broker process ended before it was ready");
  }

  /** The {@code bootstrap.servers} value for clients of this broker. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Shuts the broker down cleanly and returns when it is down; clients see it as unavailable. */
  public void stopBroker() {
    command("stop");
  }

  /** Starts a stopped broker again and returns once it answers admin requests. */
  public void startBroker() {
    command("start");
  }

  private synchronized void command(String command) {
    try {
      in.write(command + "\n");
      in.flush();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals(KafkaProcessMain.DONE + command)) {
          return;
        }
      }
      throw new IOException("The broker process ended during '" + command + "'");
    } catch (IOException e) {
      throw new UncheckedIOException("Broker command '" + command + "' failed", e);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    in.close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
