package dev.outbox.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrphanedPostgresTest {

  @Test
  void aServerLeftRunningByAKilledJvmIsStoppedAndDeletedByTheNextStart() throws Exception {
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AbandonedPostgres.class.getName())
            .redirectErrorStream(true)
            .start();
    String[] started;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      started = awaitStartedLine(out).split(" ");
      jvm.destroyForcibly();
      assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    int port = Integer.parseInt(started[1]);
    Path directory = Path.of(started[2]);
    assertThat(accepts(port)).as("the killed JVM's server runs on").isTrue();

    try (EmbeddedPostgresServer next = EmbeddedPostgresServer.start()) {
      assertThat(next.port()).isPositive();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> !accepts(port));
    assertThat(Files.exists(directory)).isFalse();
  }

  private static String awaitStartedLine(BufferedReader out) throws IOException {
    StringBuilder output = new StringBuilder();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("STARTED ")) {
        return line;
      }
      output.append(line).append('\n');
    }
    throw new AssertionError("the JVM ended before its server started:\n" + output);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
