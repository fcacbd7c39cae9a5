package dev.outbox.checker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One slot of a dispatcher running in a child JVM ({@link DispatcherMain}): started, killed with
 * SIGKILL and started again under the same instance id (as an orchestrator restarts a pod),
 * suspended and resumed, and finally stopped gracefully.
 */
final class DispatcherProcess implements AutoCloseable {

  private final int slot;
  private final List<String> arguments;
  private final Path log;
  private @Nullable Process process;

  private DispatcherProcess(int slot, List<String> arguments, Path log) {
    this.slot = slot;
    this.arguments = arguments;
    this.log = log;
  }

  /**
   * How far a dispatcher's host clock is off: none for the first, then ahead and behind by {@code
   * skew} in turn, so the dispatchers' clocks span twice the skew from the third on.
   */
  static Duration clockSkew(int slot, Duration skew) {
    if (slot == 1) {
      return Duration.ZERO;
    }
    return slot % 2 == 0 ? skew : skew.negated();
  }

  static DispatcherProcess start(
      int slot,
      CheckerDatabase database,
      String bootstrapServers,
      Path directory,
      Duration clockSkew) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> arguments =
        List.of(
            java,
            "-Xmx256m",
            // The checker's own configuration (standard error, kept in the log file), also when
            // the class path holds a test's logback-test.xml.
            "-Dlogback.configurationFile=logback.xml",
            "-cp",
            System.getProperty("java.class.path"),
            DispatcherMain.class.getName(),
            database.jdbcUrl(),
            database.user(),
            database.password(),
            bootstrapServers,
            "dispatcher-" + slot,
            directory.resolve(Checker.FAULTS_OFF_FILE).toString(),
            Long.toString(clockSkew.toMillis()));
    DispatcherProcess dispatcher =
        new DispatcherProcess(slot, arguments, directory.resolve("dispatcher-" + slot + ".log"));
    dispatcher.launch();
    return dispatcher;
  }

  private Process running() {
    return Objects.requireNonNull(process, "dispatcher not launched");
  }

  int slot() {
    return slot;
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook, no graceful close. */
  void kill() {
    try {
      running().destroyForcibly().waitFor();
      closePipes();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while killing dispatcher " + slot, e);
    }
  }

  /** Starts the slot's dispatcher again after {@link #kill()}. */
  void restart() {
    launch();
  }

  void suspend() {
    signal("STOP");
  }

  void resume() {
    signal("CONT");
  }

  private void launch() {
    try {
      process =
          new ProcessBuilder(arguments)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(running().getInputStream(), StandardCharsets.UTF_8));
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals(DispatcherMain.STARTED)) {
          return;
        }
      }
      throw new IllegalStateException(
          "Dispatcher " + slot + " ended before it started; see " + log.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start dispatcher " + slot, e);
    }
  }

  private void closePipes() {
    try {
      running().getOutputStream().close();
      running().getInputStream().close();
    } catch (IOException e) {
      // the process is gone; nothing more to release
    }
  }

  private void signal(String signal) {
    try {
      int exit =
          new ProcessBuilder("kill", "-" + signal, Long.toString(running().pid()))
              .inheritIO()
              .start()
              .waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + signal + " of dispatcher " + slot + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not signal dispatcher " + slot, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while signalling dispatcher " + slot, e);
    }
  }

  /** Closes the dispatcher gracefully (its standard input ends), killing it if it hangs. */
  @Override
  public void close() {
    try {
      running().getOutputStream().close();
      if (!running().waitFor(30, TimeUnit.SECONDS)) {
        running().destroyForcibly().waitFor();
      }
    } catch (IOException e) {
      running().destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running().destroyForcibly();
    }
  }
}
