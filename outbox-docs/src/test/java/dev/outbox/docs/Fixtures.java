package dev.outbox.docs;

import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** What the docs' hidden snippet contexts may use to run a snippet: nothing a reader sees. */
public final class Fixtures {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private Fixtures() {}

  /** A fresh in-memory H2 database, kept while the JVM runs. */
  public static DataSource h2() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:snippet-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  /** A fresh in-memory H2 database with the outbox's tables. */
  public static DataSource h2WithTables() {
    DataSource dataSource = h2();
    try (Connection connection = dataSource.getConnection()) {
      OutboxSchema.create(connection, OutboxTables.defaults());
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the outbox's tables on H2", e);
    }
    return dataSource;
  }
}
