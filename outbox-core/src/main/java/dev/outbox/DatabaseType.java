package dev.outbox;

import dev.outbox.internal.Dialects;
import java.sql.Connection;

/**
 * The databases the outbox supports. Normally detected from the connection; set it explicitly when
 * detection cannot tell (for example a MySQL-compatible server that reports another name).
 */
public enum DatabaseType {
  /** PostgreSQL 12 or newer. */
  POSTGRESQL,
  /** MySQL 8 or newer. */
  MYSQL,
  /** MariaDB 10.6 or newer. */
  MARIADB,
  /** H2 2.x, for tests and embedded use. */
  H2;

  /**
   * The type of the database behind the connection, from its metadata.
   *
   * @throws OutboxException when the database is none of these
   */
  public static DatabaseType detect(Connection connection) {
    return Dialects.detect(connection);
  }
}
