package dev.outbox.spring;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxTables;
import java.sql.DatabaseMetaData;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * With {@code outbox.flyway.enabled=true} and Flyway on the class path, the outbox's tables are
 * migrated at startup on the application's {@code DataSource}: Flyway runs the migrations in {@code
 * classpath:dev/outbox/db/flyway/{vendor}} (the vendor read from the connection's JDBC URL) with a
 * history table of their own, {@code outbox.flyway.table}, baselined at version 0 on a database
 * that already has tables. The application's own Flyway, if any, is left as it is.
 *
 * <p>Order: the migration is a database initializer in Spring Boot's sense ({@link
 * InitializerDetector}, registered in {@code META-INF/spring.factories}) of the last batch, so it
 * runs after the application's own initializers (its Flyway, Liquibase, SQL scripts): the
 * application's Flyway sees the schema as it was without the outbox. Every {@link Dispatcher} bean,
 * the starter's or the application's, depends on all the initializers ({@link DispatcherDetector}),
 * this one included, so it is created only once the tables are there; it starts later still, when
 * the context is refreshed.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(name = "org.flywaydb.core.Flyway")
@ConditionalOnBean(DataSource.class)
@ConditionalOnProperty(prefix = "outbox.flyway", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(OutboxProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public class OutboxFlywayConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxFlywayConfiguration.class);

  /** The databases that have migrations, by Spring Boot's {@code {vendor}} names. */
  static final Set<String> VENDORS = Set.of("postgresql", "mysql", "mariadb", "h2");

  @Bean
  OutboxFlywayMigration outboxFlywayMigration(
      DataSource dataSource, OutboxProperties properties, ResourceLoader resourceLoader) {
    OutboxProperties.Flyway flyway = properties.getFlyway();
    if (!properties.tables().equals(OutboxTables.defaults())) {
      throw new IllegalStateException(
          "outbox.flyway.enabled: the outbox's Flyway migrations create the default tables "
              + OutboxTables.defaults()
              + ", not "
              + properties.tables()
              + "; for other names use outbox.create-schema or migrations of your own"
              + " (OutboxSchema.statements gives the statements)");
    }
    return new OutboxFlywayMigration(
        dataSource, flyway.getTable(), resourceLoader.getClassLoader());
  }

  /**
   * Runs the outbox's migrations when the bean is initialized. Without Flyway's types in its
   * signature, so that the detectors can name it when Flyway is not on the class path.
   */
  static final class OutboxFlywayMigration implements InitializingBean {

    private final DataSource dataSource;
    private final String table;
    private final @Nullable ClassLoader classLoader;

    OutboxFlywayMigration(DataSource dataSource, String table, @Nullable ClassLoader classLoader) {
      this.dataSource = dataSource;
      this.table = table;
      this.classLoader = classLoader;
    }

    @Override
    public void afterPropertiesSet() {
      migrate(
          dataSource, "classpath:dev/outbox/db/flyway/" + vendor(dataSource), table, classLoader);
    }
  }

  /** Spring Boot's {@code {vendor}} of the database, which must be one with migrations. */
  static String vendor(DataSource dataSource) {
    String url;
    try {
      url = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getURL);
    } catch (MetaDataAccessException e) {
      throw new IllegalStateException("outbox.flyway: could not read the database's JDBC URL", e);
    }
    String vendor = DatabaseDriver.fromJdbcUrl(url).getId();
    if (!VENDORS.contains(vendor)) {
      throw new IllegalStateException(
          "outbox.flyway.enabled: the outbox has Flyway migrations for PostgreSQL, MySQL, MariaDB"
              + " and H2, not for this database ("
              + vendor
              + "); use outbox.create-schema or migrations of your own");
    }
    return vendor;
  }

  private static void migrate(
      DataSource dataSource, String location, String table, @Nullable ClassLoader classLoader) {
    MigrateResult result =
        (classLoader == null ? Flyway.configure() : Flyway.configure(classLoader))
            .dataSource(dataSource)
            .locations(location)
            .table(table)
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
    LOG.info(
        "Outbox tables at version {} of {} ({} migration(s) applied; history table {})",
        result.targetSchemaVersion != null
            ? result.targetSchemaVersion
            : result.initialSchemaVersion,
        location,
        result.migrationsExecuted,
        table);
  }

  /**
   * The outbox's migration as a database initializer, after the application's own: Spring Boot's
   * Liquibase and JPA detectors are ordered 0, Flyway's 1, SQL scripts' lowest precedence - 100.
   */
  static final class InitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
      return Set.of(OutboxFlywayMigration.class);
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }

  /** Dispatcher beans wait for the database's initialization: its tables must be there. */
  static final class DispatcherDetector
      extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

    @Override
    protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
      return Set.of(Dispatcher.class);
    }
  }
}
