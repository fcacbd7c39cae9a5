package dev.outbox.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Finds the instance directories of servers whose JVM died without closing them (SIGKILL, an IDE's
 * stop button), so the next start can stop those servers and delete their files instead of leaving
 * them running. Each instance directory holds an owner file naming its JVM by process id and start
 * time, the pair that tells a live owner from a process that reuses its id.
 */
final class OrphanedServers {

  static final String OWNER_FILE = "owner";

  private OrphanedServers() {}

  /** Marks the instance directory as belonging to this JVM. */
  static void claim(Path directory) {
    ProcessHandle self = ProcessHandle.current();
    try {
      Files.writeString(
          directory.resolve(OWNER_FILE),
          self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("unknown"),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the owner of " + directory, e);
    }
  }

  /**
   * Hands every orphaned instance directory with this prefix, in the temporary directory, to {@code
   * stop}, then deletes it. Directories without an owner file (a start in progress elsewhere, an
   * older version) are left alone.
   */
  static void clean(String prefix, Consumer<Path> stop, Logger log) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> orphans = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
      for (Path dir : dirs) {
        if (isOrphan(dir)) {
          orphans.add(dir);
        }
      }
    } catch (IOException e) {
      log.debug("Could not look for orphaned servers in {}", tmp, e);
      return;
    }
    for (Path orphan : orphans) {
      log.info("Stopping a server left running by a JVM that died: {}", orphan);
      try {
        stop.accept(orphan);
        LocalResources.deleteRecursively(orphan);
      } catch (IOException | RuntimeException e) {
        log.warn("Could not clean up the orphaned server in {}", orphan, e);
      }
    }
  }

  private static boolean isOrphan(Path directory) {
    Path owner = directory.resolve(OWNER_FILE);
    if (!Files.isRegularFile(owner)) {
      return false;
    }
    String[] parts;
    try {
      parts = Files.readString(owner, StandardCharsets.UTF_8).strip().split(" ", 2);
    } catch (IOException e) {
      return false;
    }
    if (parts.length != 2) {
      return false;
    }
    Optional<ProcessHandle> process;
    try {
      process = ProcessHandle.of(Long.parseLong(parts[0]));
    } catch (NumberFormatException e) {
      return false;
    }
    boolean sameProcess =
        process.isPresent()
            && process.get().isAlive()
            && process
                .get()
                .info()
                .startInstant()
                .map(Instant::toString)
                .orElse("unknown")
                .equals(parts[1]);
    return !sameProcess;
  }
}
