package dev.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxTables;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaInstallerTest {

  @Test
  void customNamesReplaceTablesAndPrefixIndexNamesWithTheUnqualifiedName() {
    OutboxTables tables = OutboxTables.of("app.events", "app.dead");
    List<String> statements =
        SchemaInstaller.statements(DatabaseType.POSTGRESQL.create(tables), tables);

    String all = String.join("\n", statements);
    assertThat(all).doesNotContain("outbox_events").doesNotContain("outbox_deadletters");
    assertThat(all)
        .contains("CREATE TABLE IF NOT EXISTS app.events (")
        .contains("CREATE INDEX IF NOT EXISTS events_due_idx")
        .contains("ON app.events (next_attempt_at, id)")
        .contains("CONSTRAINT dead_event_id_uq UNIQUE (event_id)");
    assertThat(statements).allSatisfy(s -> assertThat(s).doesNotEndWith(";"));
  }

  @ParameterizedTest
  @EnumSource(DatabaseType.class)
  void theLongestAllowedTableNamesGiveIndexNamesWithinPostgresqlsLimit(DatabaseType type) {
    OutboxTables tables =
        OutboxTables.of(
            "s." + "e".repeat(OutboxTables.MAX_EVENTS_TABLE_LENGTH),
            "s." + "d".repeat(OutboxTables.MAX_DEAD_LETTERS_TABLE_LENGTH));
    String all = String.join("\n", SchemaInstaller.statements(type.create(tables), tables));

    Matcher identifiers = Pattern.compile("\\b[A-Za-z_][A-Za-z0-9_]*\\b").matcher(all);
    int longest = 0;
    while (identifiers.find()) {
      longest = Math.max(longest, identifiers.group().length());
    }
    assertThat(longest).isEqualTo(63);
  }

  @Test
  void aTableNameTooLongForItsIndexNamesIsRefusedNamingTheLimit() {
    assertThatThrownBy(
            () -> OutboxTables.of("e".repeat(OutboxTables.MAX_EVENTS_TABLE_LENGTH + 1), "dead"))
        .hasMessageStartingWith("eventsTable must be at most 42 characters without its schema");
    assertThatThrownBy(
            () ->
                OutboxTables.of(
                    "events", "app." + "d".repeat(OutboxTables.MAX_DEAD_LETTERS_TABLE_LENGTH + 1)))
        .hasMessageStartingWith("deadLettersTable must be at most 49 characters");
  }
}
