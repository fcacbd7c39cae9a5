package dev.outbox.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;

/** Small file-system and network helpers shared by the embedded servers. */
final class LocalResources {

  private LocalResources() {}

  /**
   * Returns a port that was free a moment ago on the loopback interface. Another process may take
   * it before the server binds it, so callers retry start-up with a new port when binding fails.
   */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port", e);
    }
  }

  /**
   * A per-user directory below {@code java.io.tmpdir} that keeps unpacked server binaries between
   * runs, so only the first start on a machine pays for unpacking. It is per user because a
   * directory created by one user cannot be written by another; it is world-readable because the
   * PostgreSQL server may run as {@code nobody} (see {@link NonRootExecution}).
   */
  static Path cacheDirectory(String name) {
    String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9_.-]", "_");
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "outbox-embedded-" + user, name);
    try {
      Files.createDirectories(dir);
      setMode(Objects.requireNonNull(dir.getParent()), "rwxr-xr-x");
      setMode(dir, "rwxr-xr-x");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create cache directory " + dir, e);
    }
  }

  /** Creates a fresh, private temporary directory for one server instance. */
  static Path instanceDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temporary directory", e);
    }
  }

  static void setMode(Path path, String mode) throws IOException {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
  }

  /** Unregisters a server's shutdown hook; a hook already gone, or running, is left as it is. */
  static void detach(Thread shutdownHook) {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is shutting down, or the hook was never registered
    }
  }

  /**
   * The last step of closing a server: its shutdown hook is no longer needed (unless this is the
   * hook running, or start-up failed before registering it) and its files go.
   */
  static void release(Thread shutdownHook, Path directory, Logger log) {
    detach(shutdownHook);
    try {
      deleteRecursively(directory);
    } catch (IOException e) {
      log.warn("Could not delete {}", directory, e);
    }
  }

  /** Deletes a directory tree; a missing directory is not an error. */
  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // a server removed it while we were walking
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** The last lines of a (log) file, for error messages; empty if it cannot be read. */
  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
  }
}
