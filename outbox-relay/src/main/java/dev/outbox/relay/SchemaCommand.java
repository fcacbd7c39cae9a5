package dev.outbox.relay;

import dev.outbox.DatabaseType;
import dev.outbox.OutboxSchema;
import dev.outbox.OutboxTables;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code outbox schema print|apply}: the outbox's tables and indexes. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = "Prints or creates the outbox's tables and indexes.",
    subcommands = {SchemaCommand.Print.class, SchemaCommand.Apply.class})
final class SchemaCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  @Command(
      name = "print",
      mixinStandardHelpOptions = true,
      description = "Prints the SQL that creates the tables and indexes; connects to nothing.")
  static final class Print implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--database",
        required = true,
        paramLabel = "DB",
        description = "postgresql, mysql, mariadb or h2")
    String database = "";

    @Option(
        names = "--events-table",
        paramLabel = "NAME",
        defaultValue = OutboxTables.DEFAULT_EVENTS_TABLE,
        description = "(default ${DEFAULT-VALUE})")
    String eventsTable = OutboxTables.DEFAULT_EVENTS_TABLE;

    @Option(
        names = "--dead-letters-table",
        paramLabel = "NAME",
        defaultValue = OutboxTables.DEFAULT_DEAD_LETTERS_TABLE,
        description = "(default ${DEFAULT-VALUE})")
    String deadLettersTable = OutboxTables.DEFAULT_DEAD_LETTERS_TABLE;

    @Override
    public Integer call() {
      DatabaseType type = databaseType(spec, database);
      OutboxTables tables;
      try {
        tables = OutboxTables.of(eventsTable, deadLettersTable);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      for (String statement : OutboxSchema.statements(type, tables)) {
        out.println(statement + ";");
      }
      out.flush();
      return OutboxCli.OK;
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description =
          "Creates the tables and indexes that do not exist yet in the configured database.")
  static final class Apply implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config = new ConfigOption();

    @Override
    public Integer call() throws SQLException {
      try (CliContext context = CliContext.open(config);
          Connection connection = context.dataSource().getConnection()) {
        OutboxSchema.create(connection, context.tables());
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            "schema applied: " + context.tables().events() + ", " + context.tables().deadLetters());
        out.flush();
      }
      return OutboxCli.OK;
    }
  }

  static DatabaseType databaseType(CommandSpec spec, String name) {
    for (DatabaseType type : DatabaseType.values()) {
      if (type.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    throw new ParameterException(
        spec.commandLine(), "--database: '" + name + "' is none of postgresql, mysql, mariadb, h2");
  }
}
