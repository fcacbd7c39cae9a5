package dev.outbox.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a program as a non-root user when this JVM runs as root.
 *
 * <p>PostgreSQL's {@code initdb} and {@code postgres} refuse to run as root ("cannot be run as
 * root"), and our CI machines and containers run builds as root. We cannot rely on a manual setup
 * step (creating a user, {@code apt install}), so the child process drops privileges itself. Two
 * techniques are tried, in this order, and the first that works on this machine is kept:
 *
 * <ol>
 *   <li><b>{@code setpriv --reuid=65534 --regid=65534 --clear-groups}</b> (util-linux, present on
 *       every Debian and Ubuntu): runs the program as {@code nobody}, a user that exists on every
 *       Debian-like system. It needs only {@code CAP_SETUID}/{@code CAP_SETGID}, which root keeps
 *       in a default Docker container. This is what the official {@code postgres} Docker image does
 *       with {@code gosu}. The files the program writes must belong to {@code nobody}, hence {@link
 *       #handOver(Path)}, and the binaries must be readable by others (see {@link
 *       LocalResources#cacheDirectory(String)}).
 *   <li><b>{@code unshare -U}</b>: runs the program in a new user namespace where it has no mapping
 *       and therefore appears as the overflow user (65534), while the kernel still accounts its
 *       files to the real user. This is what zonky's {@code EmbeddedPostgres} does by itself, but
 *       Docker's default seccomp profile forbids creating user namespaces, which is why it is only
 *       the fallback here; it helps in rootless containers where uid 65534 is not mapped and {@code
 *       setpriv} therefore fails.
 * </ol>
 *
 * <p>Both are probed once by running {@code id -un} through them. When the JVM does not run as
 * root, programs run unchanged.
 */
final class NonRootExecution {

  private static final Logger LOG = LoggerFactory.getLogger(NonRootExecution.class);
  private static final int NOBODY = 65534;

  private static volatile @Nullable NonRootExecution detected;

  private final List<String> prefix;
  private final boolean chownToNobody;
  private final String description;

  private NonRootExecution(List<String> prefix, boolean chownToNobody, String description) {
    this.prefix = prefix;
    this.chownToNobody = chownToNobody;
    this.description = description;
  }

  /** True when this JVM's process runs as root (uid 0) on a Unix-like system. */
  static boolean runningAsRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (LinkageError | RuntimeException e) {
      return false; // not a Unix system
    }
  }

  /** The technique that works on this machine; detected once per JVM. */
  static NonRootExecution detect() {
    NonRootExecution result = detected;
    if (result == null) {
      synchronized (NonRootExecution.class) {
        result = detected;
        if (result == null) {
          result = probe();
          detected = result;
          LOG.info("Running database servers {}", result.description);
        }
      }
    }
    return result;
  }

  private static NonRootExecution probe() {
    if (!runningAsRoot()) {
      return new NonRootExecution(List.of(), false, "as the current user");
    }
    List<NonRootExecution> candidates =
        List.of(
            new NonRootExecution(
                List.of(
                    "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups", "--"),
                true,
                "as user nobody through setpriv, because this JVM runs as root"),
            new NonRootExecution(
                List.of("unshare", "-U", "--"),
                false,
                "in a user namespace through unshare -U, because this JVM runs as root"));
    List<String> failures = new ArrayList<>();
    for (NonRootExecution candidate : candidates) {
      String outcome = candidate.tryRun(List.of("id", "-un"));
      if (outcome == null) {
        return candidate;
      }
      failures.add(candidate.prefix.get(0) + ": " + outcome);
    }
    throw new IllegalStateException(
        "This JVM runs as root and PostgreSQL refuses to run as root, but neither setpriv nor"
            + " unshare could start a program as another user: "
            + failures
            + ". Run the build as a non-root user, or grant CAP_SETUID/CAP_SETGID.");
  }

  /** Returns null on success, otherwise a short reason. */
  private @Nullable String tryRun(List<String> probe) {
    try {
      Process process = new ProcessBuilder(command(probe)).redirectErrorStream(true).start();
      boolean exited = process.waitFor(10, TimeUnit.SECONDS);
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!exited) {
        process.destroyForcibly();
        return "timed out";
      }
      if (process.exitValue() != 0 || output.isEmpty() || output.equals("root")) {
        return "exit " + process.exitValue() + ": " + output;
      }
      return null;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The command line that runs {@code command} as a non-root user. */
  List<String> command(List<String> command) {
    List<String> result = new ArrayList<>(prefix);
    result.addAll(command);
    return result;
  }

  /** Makes an (empty) directory writable by the user the programs run as. */
  void handOver(Path directory) {
    if (!chownToNobody) {
      return;
    }
    try {
      Files.setAttribute(directory, "unix:uid", NOBODY);
      Files.setAttribute(directory, "unix:gid", NOBODY);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not give " + directory + " to user nobody", e);
    }
  }
}
