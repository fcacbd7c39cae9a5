package dev.outbox.embedded;

import javax.sql.DataSource;

/**
 * A real database server started by the test kit, so one contract suite can be written once and run
 * against every database.
 *
 * <p>Each server starts with an empty database named {@code test}, reachable through {@link
 * #jdbcUrl()} and the pooled {@link #dataSource()}. Test classes that must not see each other's
 * tables can ask for a database of their own with {@link #createDatabase(String)}. Closing the
 * server closes every pool it handed out, stops the server and deletes its files.
 */
public interface EmbeddedDatabase extends AutoCloseable {

  /** The name of the database every server starts with. */
  String DEFAULT_DATABASE = "test";

  /** JDBC URL of the {@value #DEFAULT_DATABASE} database. */
  default String jdbcUrl() {
    return jdbcUrl(DEFAULT_DATABASE);
  }

  /** JDBC URL of the given database on this server. */
  String jdbcUrl(String database);

  /** The user to connect as. */
  String user();

  /** The password of {@link #user()}. The servers do not check passwords. */
  String password();

  /** A connection pool on the {@value #DEFAULT_DATABASE} database, closed by {@link #close()}. */
  DataSource dataSource();

  /**
   * Creates an empty database and returns a connection pool on it, closed by {@link #close()}.
   *
   * @param name a lower-case SQL identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters)
   * @throws IllegalArgumentException if the name is not such an identifier
   * @throws IllegalStateException if the database cannot be created, e.g. because it exists
   */
  DataSource createDatabase(String name);

  /**
   * Leaves closing this server at JVM exit to the caller: for an application that closes its parts
   * in order from a shutdown hook of its own, which would otherwise run beside this server's.
   */
  void detachShutdownHook();

  /** Closes the pools, stops the server and deletes its files. Calling it again does nothing. */
  @Override
  void close();
}
