package dev.outbox.it.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.it.contract.SharedServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** MariaDB runs the MySQL migration (under its own {@code mariadb} vendor name for Flyway). */
class MariaDbSchemaMigrationTest extends SchemaMigrationContract {

  @Override
  String vendor() {
    return "mariadb";
  }

  @Override
  DataSource newDatabase(String name) {
    return SharedServers.mariaDb("schema_migration_" + name);
  }

  /**
   * The MySQL schema adds {@code replayed_at} where information_schema does not list it: for a
   * table qualified with another database than the connection's, it must look there, or a second
   * run would add the column again and fail.
   */
  @Test
  void createSchemaOfTablesInAnotherDatabaseAddsTheReplayColumnOnce() throws SQLException {
    newDatabase("elsewhere");
    OutboxTables tables =
        OutboxTables.of("schema_migration_elsewhere.events", "schema_migration_elsewhere.dead");

    try (Connection c = newDatabase("connected").getConnection()) {
      OutboxSchema.create(c, tables);
      OutboxSchema.create(c, tables);

      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT COUNT(replayed_at) FROM schema_migration_elsewhere.events")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }
}
