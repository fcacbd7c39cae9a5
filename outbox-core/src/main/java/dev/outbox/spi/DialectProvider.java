package dev.outbox.spi;

import dev.outbox.OutboxTables;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * Offers a {@link Dialect} for the databases it recognises. The built-in ones are the constants of
 * {@link dev.outbox.DatabaseType}. Others are found with {@link java.util.ServiceLoader} (register
 * the class in {@code META-INF/services/dev.outbox.spi.DialectProvider}, or with {@code provides}
 * in a module) and are asked before the built-in ones, so a provider can take over a database that
 * reports itself as one of those (many PostgreSQL-compatible servers do). Pass one to a builder's
 * {@code dialect(...)} to skip detection.
 */
public interface DialectProvider {

  /**
   * Whether the database the metadata describes is one this provider's dialect serves.
   *
   * @param metaData the metadata of a connection to the database
   * @return {@code true} if {@link #create} serves it
   * @throws SQLException if reading the metadata fails
   */
  boolean supports(DatabaseMetaData metaData) throws SQLException;

  /**
   * The dialect for these tables.
   *
   * @param tables the outbox's table names
   * @return a new dialect
   */
  Dialect create(OutboxTables tables);
}
