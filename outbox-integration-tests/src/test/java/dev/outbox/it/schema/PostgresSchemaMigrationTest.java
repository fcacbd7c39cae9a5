package dev.outbox.it.schema;

import dev.outbox.it.contract.SharedServers;
import javax.sql.DataSource;

class PostgresSchemaMigrationTest extends SchemaMigrationContract {

  @Override
  String vendor() {
    return "postgresql";
  }

  @Override
  DataSource newDatabase(String name) {
    return SharedServers.postgres("schema_migration_" + name);
  }
}
