package dev.outbox.it.schema;

import dev.outbox.it.contract.SharedServers;
import javax.sql.DataSource;

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
}
