package dev.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxTables;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaInstallerTest {

  @Test
  void customNamesReplaceTablesAndPrefixIndexNamesWithTheUnqualifiedName() {
    OutboxTables tables = OutboxTables.of("app.events", "app.dead");
    List<String> statements =
        SchemaInstaller.statements(Dialects.forType(DatabaseType.POSTGRESQL, tables), tables);

    String all = String.join("\n", statements);
    assertThat(all).doesNotContain("outbox_events").doesNotContain("outbox_deadletters");
    assertThat(all)
        .contains("CREATE TABLE IF NOT EXISTS app.events (")
        .contains("CREATE INDEX IF NOT EXISTS events_due_idx")
        .contains("ON app.events (next_attempt_at, id)")
        .contains("CONSTRAINT dead_event_id_uq UNIQUE (event_id)");
    assertThat(statements).allSatisfy(s -> assertThat(s).doesNotEndWith(";"));
  }
}
