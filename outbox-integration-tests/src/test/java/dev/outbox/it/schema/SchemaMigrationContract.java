package dev.outbox.it.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import dev.outbox.OutboxWriter;
import dev.outbox.spi.EventRecord;
import dev.outbox.test.Deliveries;
import dev.outbox.test.RecordingPublisher;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.RanChangeSet;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The outbox's Flyway migrations and Liquibase changelog ({@code dev/outbox/db/}) on a real
 * database: they make the tables {@link OutboxSchema#create} makes, the outbox works on them, and a
 * second run changes nothing. Flyway runs the way docs/schema.md shows, with a history table of its
 * own beside the application's own migrations; Liquibase through an application's master changelog.
 * Tables that V1 made before V2 existed are brought up to date by Flyway and by {@link
 * OutboxSchema#create} alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SchemaMigrationContract {

  /** Liquibase logs through java.util.logging, at INFO to the console; its warnings suffice. */
  private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

  static {
    LIQUIBASE_LOG.setLevel(Level.WARNING);
  }

  private List<String> createdBySchema;

  /** The database's name in Flyway's and Spring Boot's {@code {vendor}}: where its migration is. */
  abstract String vendor();

  /** A new, empty database; {@code name} is unique within the test class. */
  abstract DataSource newDatabase(String name);

  @BeforeAll
  void createReference() throws SQLException {
    DataSource reference = newDatabase("created");
    try (Connection c = reference.getConnection()) {
      OutboxSchema.create(c, OutboxTables.defaults());
    }
    createdBySchema = describeTables(reference);
  }

  @Test
  void flywayWithAHistoryTableOfItsOwnMigratesBesideTheApplicationsOwnMigrations()
      throws SQLException {
    DataSource database = newDatabase("flyway");
    Flyway application =
        Flyway.configure().dataSource(database).locations("classpath:db/app-migration").load();
    assertThat(application.migrate().migrationsExecuted).isEqualTo(2);

    // The schema is not empty and has no outbox history: baselined at 0, V1 and V2 still run.
    MigrateResult first = outboxFlyway(database).migrate();

    assertThat(first.migrationsExecuted).isEqualTo(2);
    assertThat(first.targetSchemaVersion).isEqualTo("2");
    assertThat(applied(outboxFlyway(database)))
        .containsExactly(
            "0 " + MigrationState.BASELINE,
            "1 " + MigrationState.SUCCESS,
            "2 " + MigrationState.SUCCESS);
    assertThat(applied(application))
        .as("the application's history, untouched")
        .containsExactly("1 " + MigrationState.SUCCESS, "2 " + MigrationState.SUCCESS);
    assertThat(describeTables(database)).isEqualTo(createdBySchema);

    MigrateResult second = outboxFlyway(database).migrate();

    assertThat(second.migrationsExecuted).isZero();
    assertThat(applied(outboxFlyway(database))).hasSize(3);
    assertThat(application.migrate().migrationsExecuted).isZero();
    assertSavedEventIsPublished(database);
  }

  @Test
  void flywayOverTablesThatCreateSchemaMadeOnlyRecordsTheMigration() throws SQLException {
    DataSource database = newDatabase("switched");
    try (Connection c = database.getConnection()) {
      OutboxSchema.create(c, OutboxTables.defaults());
    }

    MigrateResult result = outboxFlyway(database).migrate();

    assertThat(result.migrationsExecuted).isEqualTo(2);
    assertThat(applied(outboxFlyway(database)))
        .containsExactly(
            "0 " + MigrationState.BASELINE,
            "1 " + MigrationState.SUCCESS,
            "2 " + MigrationState.SUCCESS);
    assertThat(describeTables(database)).isEqualTo(createdBySchema);
  }

  /** Tables as V1 made them before V2 existed, with an event waiting in them. */
  private DataSource tablesOfV1(String name) throws SQLException {
    DataSource database = newDatabase(name);
    outboxFlywayConfiguration(database).target("1").load().migrate();
    try (Connection c = database.getConnection()) {
      c.setAutoCommit(false);
      OutboxWriter.create().save(c, customerCreated("written-before-v2"));
      c.commit();
    }
    return database;
  }

  @Test
  void flywayMigratesTablesOfV1ToV2() throws SQLException {
    DataSource database = tablesOfV1("upgraded_by_flyway");

    MigrateResult result = outboxFlyway(database).migrate();

    assertThat(result.migrationsExecuted).isEqualTo(1);
    assertThat(result.targetSchemaVersion).isEqualTo("2");
    assertThat(describeTables(database)).isEqualTo(createdBySchema);
    assertSavedEventIsPublished(database, "written-before-v2");
  }

  @Test
  void createSchemaAddsToTablesOfV1WhatTheyLack() throws SQLException {
    DataSource database = tablesOfV1("upgraded_by_create_schema");

    try (Connection c = database.getConnection()) {
      OutboxSchema.create(c, OutboxTables.defaults());
      OutboxSchema.create(c, OutboxTables.defaults());
    }

    assertThat(describeTables(database)).isEqualTo(createdBySchema);
    assertSavedEventIsPublished(database, "written-before-v2");
  }

  @Test
  void theLiquibaseChangelogIncludedFromTheApplicationsMasterChangelog() throws Exception {
    DataSource database = newDatabase("liquibase");

    List<String> first = liquibaseUpdate(database, "db/changelog/app-changelog.yaml");

    String changeSet = (vendor().equals("mariadb") ? "mysql" : vendor());
    assertThat(first)
        .containsExactly(
            "app:customers in db/changelog/app-changelog.yaml",
            "dev.outbox:outbox-1-"
                + changeSet
                + " in dev/outbox/db/changelog/outbox-changelog.yaml",
            "dev.outbox:outbox-2-"
                + changeSet
                + " in dev/outbox/db/changelog/outbox-changelog.yaml");
    assertThat(describeTables(database)).isEqualTo(createdBySchema);

    List<String> second = liquibaseUpdate(database, "db/changelog/app-changelog.yaml");

    assertThat(second).isEqualTo(first);
    assertSavedEventIsPublished(database);
  }

  /** The outbox's Flyway as docs/schema.md configures it. */
  private Flyway outboxFlyway(DataSource database) {
    return outboxFlywayConfiguration(database).load();
  }

  private FluentConfiguration outboxFlywayConfiguration(DataSource database) {
    return Flyway.configure()
        .dataSource(database)
        .locations("classpath:dev/outbox/db/flyway/" + vendor())
        .table("outbox_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0");
  }

  private static List<String> applied(Flyway flyway) {
    return Arrays.stream(flyway.info().applied())
        .map((MigrationInfo m) -> m.getVersion().getVersion() + " " + m.getState())
        .toList();
  }

  /** Runs {@code update} and gives the changesets recorded as run, in order. */
  private static List<String> liquibaseUpdate(DataSource dataSource, String changelog)
      throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      Database database =
          DatabaseFactory.getInstance()
              .findCorrectDatabaseImplementation(new JdbcConnection(connection));
      Map<String, Object> scope =
          Map.of(
              Scope.Attr.resourceAccessor.name(),
              new ClassLoaderResourceAccessor(SchemaMigrationContract.class.getClassLoader()),
              Scope.Attr.ui.name(),
              new LoggerUIService(),
              "liquibase.analytics.enabled",
              false);
      Scope.child(
          scope,
          () ->
              new CommandScope(UpdateCommandStep.COMMAND_NAME)
                  .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                  .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changelog)
                  .addArgumentValue(
                      ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG)
                  .execute());
      List<String> ran = new ArrayList<>();
      for (RanChangeSet changeSet : database.getRanChangeSetList()) {
        ran.add(
            changeSet.getAuthor() + ":" + changeSet.getId() + " in " + changeSet.getChangeLog());
      }
      return ran;
    }
  }

  /**
   * An event saved in a transaction is published by a dispatcher, after the events of its aggregate
   * already {@code waiting}, and all are recorded as sent.
   */
  private static void assertSavedEventIsPublished(DataSource dataSource, String... waiting)
      throws SQLException {
    List<String> expected = new ArrayList<>(List.of(waiting));
    expected.add("migrated-1");
    RecordingPublisher publisher = new RecordingPublisher();
    try (Dispatcher dispatcher =
        Dispatcher.builder(dataSource)
            .publisher(publisher)
            .pollInterval(Duration.ofMillis(100))
            .build()) {
      dispatcher.start();
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        OutboxWriter.create().save(c, customerCreated("migrated-1"));
        c.commit();
      }

      List<EventRecord> delivered =
          publisher.awaitDelivered(expected.size(), Duration.ofSeconds(30));
      Deliveries.deliverAll(dispatcher);

      assertThat(delivered).extracting(EventRecord::eventId).containsExactlyElementsOf(expected);
      assertThat(delivered).allSatisfy(e -> assertThat(e.payload()).isEqualTo("{\"id\":\"c-1\"}"));
    }
    List<String> statuses = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM outbox_events")) {
      while (rs.next()) {
        statuses.add(rs.getString(1));
      }
    }
    assertThat(statuses).hasSize(expected.size()).containsOnly("sent");
  }

  private static OutboxEvent customerCreated(String eventId) {
    return OutboxEvent.builder()
        .eventId(eventId)
        .eventType("CustomerCreated")
        .aggregateType("Customer")
        .aggregateId("c-1")
        .topic("customers")
        .payload(Map.of("id", "c-1"))
        .build();
  }

  /**
   * The outbox tables as the JDBC driver describes them: columns (type, size, nullability, default)
   * and indexes (columns, uniqueness, filter), in a stable order.
   */
  private static List<String> describeTables(DataSource dataSource) throws SQLException {
    List<String> description = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      for (String table :
          List.of(OutboxTables.DEFAULT_EVENTS_TABLE, OutboxTables.DEFAULT_DEAD_LETTERS_TABLE)) {
        String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
        try (ResultSet rs = meta.getColumns(c.getCatalog(), c.getSchema(), name, "%")) {
          while (rs.next()) {
            description.add(
                String.join(
                    " ",
                    table,
                    rs.getString("COLUMN_NAME"),
                    rs.getString("TYPE_NAME"),
                    rs.getString("COLUMN_SIZE"),
                    rs.getString("IS_NULLABLE"),
                    String.valueOf(rs.getString("COLUMN_DEF"))));
          }
        }
        List<String> indexes = new ArrayList<>();
        try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), c.getSchema(), name, false, false)) {
          while (rs.next()) {
            if (rs.getString("INDEX_NAME") == null) {
              continue;
            }
            indexes.add(
                String.join(
                    " ",
                    table,
                    "index",
                    rs.getString("INDEX_NAME"),
                    String.valueOf(rs.getBoolean("NON_UNIQUE")),
                    rs.getString("ORDINAL_POSITION"),
                    rs.getString("COLUMN_NAME"),
                    String.valueOf(rs.getString("FILTER_CONDITION"))));
          }
        }
        indexes.sort(null);
        description.addAll(indexes);
      }
    }
    assertThat(description).as("the outbox tables' description").hasSizeGreaterThan(30);
    return description;
  }
}
