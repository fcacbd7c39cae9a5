package dev.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The drift guard: the Flyway migrations and the Liquibase changelog shipped under {@code
 * dev/outbox/db/} create exactly what {@link OutboxSchema#create} creates for the default tables.
 * Statements are compared without comments and with whitespace collapsed.
 *
 * <p>When the schema changes, a released migration must not (Flyway keeps its checksum): the change
 * comes as a new version and changesets, and this test compares what the versions together create.
 */
class MigrationResourcesTest {

  private static final String FLYWAY = "/dev/outbox/db/flyway/";
  private static final String CHANGELOG = "/dev/outbox/db/changelog/outbox-changelog.yaml";

  /** Every vendor's migrations, in the order Flyway runs them. */
  private static final List<String> MIGRATIONS =
      List.of("V1__outbox_tables.sql", "V2__outbox_replayed_at.sql");

  @ParameterizedTest
  @CsvSource({"postgresql, POSTGRESQL", "mysql, MYSQL", "mariadb, MARIADB", "h2, H2"})
  void theFlywayMigrationOfEachVendorRunsTheStatementsOfTheSchema(
      String vendor, DatabaseType type) {
    List<String> migration = new ArrayList<>();
    for (String version : MIGRATIONS) {
      migration.addAll(statements(read(FLYWAY + vendor + "/" + version)));
    }
    List<String> schema =
        OutboxSchema.statements(type, OutboxTables.defaults()).stream()
            .map(MigrationResourcesTest::collapse)
            .toList();

    assertThat(schema).hasSizeGreaterThanOrEqualTo(2);
    assertThat(migration).isEqualTo(schema);
  }

  @Test
  void theLiquibaseChangesetsRunTheFlywayMigrationOfTheirDatabase() {
    String changelog = read(CHANGELOG);
    Matcher changeSet =
        Pattern.compile(
                "- changeSet:\\s+id: (\\S+)\\s+author: dev\\.outbox\\s+dbms: ([a-z0-9, ]+)\\n"
                    + "\\s+changes:\\s+- sqlFile:\\s+path: (\\S+)\\s+relativeToChangelogFile: true")
            .matcher(changelog);
    List<String> ids = new ArrayList<>();
    List<String> changeSets = new ArrayList<>();
    while (changeSet.find()) {
      ids.add(changeSet.group(1));
      changeSets.add(changeSet.group(2).strip() + ": " + changeSet.group(3));
    }

    assertThat(changelog.split("- changeSet:", -1)).hasSize(ids.size() + 1);
    assertThat(ids).doesNotHaveDuplicates();
    List<String> expected = new ArrayList<>();
    for (String migration : MIGRATIONS) {
      expected.add("postgresql: ../flyway/postgresql/" + migration);
      expected.add("mysql, mariadb: ../flyway/mysql/" + migration);
      expected.add("h2: ../flyway/h2/" + migration);
    }
    assertThat(changeSets).containsExactlyElementsOf(expected);
    assertThat(changelog)
        .contains("logicalFilePath: dev/outbox/db/changelog/outbox-changelog.yaml");
  }

  /** Comment lines dropped, split where a line ends with a semicolon, whitespace collapsed. */
  private static List<String> statements(String sql) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--")) {
        continue;
      }
      current.append(trimmed).append(' ');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        statements.add(collapse(statement.substring(0, statement.length() - 1)));
        current.setLength(0);
      }
    }
    assertThat(current.toString()).as("text after the last statement").isBlank();
    return statements;
  }

  private static String collapse(String sql) {
    return sql.strip().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")");
  }

  private static String read(String resource) {
    try (InputStream in = MigrationResourcesTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("Could not read " + resource, e);
    }
  }
}
