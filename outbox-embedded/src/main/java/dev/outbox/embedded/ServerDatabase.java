package dev.outbox.embedded;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the embedded database servers have in common: a fresh instance directory, the pools they
 * hand out, a shutdown hook that closes them, and the start and close sequences around them.
 * Subclasses say how their server is started ({@link #startUp()}) and stopped ({@link
 * #stopQuietly()}), and what its JDBC URLs look like.
 */
abstract class ServerDatabase implements EmbeddedDatabase {

  /** How often a server is started on another free port when the one it was given was taken. */
  static final int START_ATTEMPTS = 3;

  /** This instance's own temporary directory, created by the constructor, deleted by close. */
  final Path directory;

  /** The TCP port on 127.0.0.1; set by {@link #startUp()}. */
  int port;

  private final Logger log = LoggerFactory.getLogger(getClass());
  private final String product;
  private final String user;
  private final Pools pools;
  private final Thread shutdownHook;
  private @Nullable HikariDataSource dataSource;
  private boolean closed;

  /**
   * @param name short lower-case name, used for the directory, the pools and the hook's thread
   * @param product the server's name in log messages
   * @param user the user to connect as, without a password
   */
  ServerDatabase(String name, String product, String user) {
    this.product = product;
    this.user = user;
    directory = LocalResources.instanceDirectory(directoryPrefix(name));
    pools = new Pools(name);
    shutdownHook = new Thread(this::close, "outbox-" + name + "-shutdown");
  }

  /** The start of the names of the instance directories of servers of this name. */
  static String directoryPrefix(String name) {
    return "outbox-" + name + "-";
  }

  /**
   * Creates a server with {@code newServer}, starts it and opens the pool on its {@value
   * #DEFAULT_DATABASE} database; closes it again if any of that fails.
   */
  static <S extends ServerDatabase> S start(Supplier<S> newServer) {
    long started = System.nanoTime();
    S server = newServer.get();
    ServerDatabase database = server; // its private fields are not reachable through S
    try {
      database.startUp();
      database.dataSource =
          database.pools.open(DEFAULT_DATABASE, database.jdbcUrl(), database.user, "");
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    database.log.info(
        "{} started on port {} in {} ms",
        database.product,
        database.port,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return server;
  }

  /**
   * Starts the server on a free {@link #port} and creates the empty {@value #DEFAULT_DATABASE}
   * database; registers the shutdown hook ({@link #registerShutdownHook()}) on the way. If it
   * throws, {@link #close()} follows.
   */
  abstract void startUp();

  /** Stops the server if it was started, logging instead of throwing if it cannot. */
  abstract void stopQuietly();

  /** Makes the JVM's shutdown close this server, should the test not get to it. */
  final void registerShutdownHook() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public final void detachShutdownHook() {
    LocalResources.detach(shutdownHook);
  }

  @Override
  public final String user() {
    return user;
  }

  @Override
  public final String password() {
    return "";
  }

  /** The TCP port the server listens on (127.0.0.1). */
  public final int port() {
    return port;
  }

  @Override
  public final DataSource dataSource() {
    return Objects.requireNonNull(dataSource, "the server is not started");
  }

  @Override
  public final DataSource createDatabase(String name) {
    Pools.execute(dataSource(), "CREATE DATABASE " + Pools.checkIdentifier(name));
    return pools.open(name, jdbcUrl(name), user, "");
  }

  @Override
  public final synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    pools.closeAll();
    stopQuietly();
    LocalResources.release(shutdownHook, directory, log);
  }
}
