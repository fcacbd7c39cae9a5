package dev.outbox.it.schema;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

class H2SchemaMigrationTest extends SchemaMigrationContract {

  @Override
  String vendor() {
    return "h2";
  }

  @Override
  DataSource newDatabase(String name) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(
        "jdbc:h2:mem:schema-migration-" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    dataSource.setUser("sa");
    return dataSource;
  }
}
