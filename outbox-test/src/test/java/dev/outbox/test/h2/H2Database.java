package dev.outbox.test.h2;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** An in-memory H2 database per test class. */
final class H2Database {

  private H2Database() {}

  static DataSource create(String name) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    dataSource.setUser("sa");
    return dataSource;
  }
}
