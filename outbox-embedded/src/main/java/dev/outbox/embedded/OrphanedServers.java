package dev.outbox.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Finds the instance directories of servers whose JVM died without closing them (SIGKILL, an IDE's
 * stop button), so the next start can stop those servers and delete their files instead of leaving
 * them running. Each instance directory holds an owner file naming its JVM by process id and start
 * time (in clock ticks since boot, from {@code /proc}, exact and the same for every reader), the
 * pair that tells a live owner from a process that reuses its id.
 */
final class OrphanedServers {

  static final String OWNER_FILE = "owner";

  private OrphanedServers() {}

  /** Marks the instance directory as belonging to this JVM. */
  static void claim(Path directory) {
    long pid = ProcessHandle.current().pid();
    try {
      Files.writeString(
          directory.resolve(OWNER_FILE),
          pid + " " + startTicks(pid).orElse("unknown"),
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
      log.info("Cleaning up a server left behind by a JVM that died: {}", orphan);
      try {
        stop.accept(orphan);
      } catch (RuntimeException e) {
        log.warn("Could not stop the orphaned server in {}", orphan, e);
        continue;
      }
      try {
        LocalResources.deleteRecursively(orphan);
      } catch (IOException e) {
        log.warn("Could not delete the orphaned server's directory {}", orphan, e);
      }
    }
  }

  /** Whether the process with this id is alive and a program named {@code command}. */
  static boolean isRunning(long pid, String command) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .flatMap(process -> process.info().command())
        .map(path -> Path.of(path).getFileName().toString().equals(command))
        .orElse(false);
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
    long pid;
    try {
      pid = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      return false;
    }
    boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    return !alive || !startTicks(pid).orElse("unknown").equals(parts[1]);
  }

  /** Field 22 of {@code /proc/<pid>/stat}: when the process started, in clock ticks since boot. */
  private static Optional<String> startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) is in parentheses and may hold spaces; count after it.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      return fields.length > 19 ? Optional.of(fields[19]) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
