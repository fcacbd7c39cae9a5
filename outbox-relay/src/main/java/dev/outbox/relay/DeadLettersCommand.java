package dev.outbox.relay;

import dev.outbox.DeadLetter;
import dev.outbox.DeadLetterChange;
import dev.outbox.DeadLetterFilter;
import dev.outbox.DeadLetterQuery;
import dev.outbox.DeadLetters;
import dev.outbox.Operator;
import dev.outbox.Redaction;
import java.io.Console;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code outbox dead-letters list|show|replay|purge}. */
@Command(
    name = "dead-letters",
    mixinStandardHelpOptions = true,
    description = "Lists, shows, replays and purges dead letters.",
    subcommands = {
      DeadLettersCommand.ListCommand.class,
      DeadLettersCommand.ShowCommand.class,
      DeadLettersCommand.ReplayCommand.class,
      DeadLettersCommand.PurgeCommand.class
    })
final class DeadLettersCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists dead letters, oldest first, with the filters given.")
  static final class ListCommand implements java.util.concurrent.Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config = new ConfigOption();
    @Mixin DeadLetterFilters filters = new DeadLetterFilters();

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "100",
        description = "at most N (default ${DEFAULT-VALUE})")
    int limit;

    @Option(
        names = "--after-id",
        paramLabel = "ID",
        defaultValue = "0",
        description = "the page after this dead letter id")
    long afterId;

    @Override
    public Integer call() {
      DeadLetterQuery query =
          build(spec, () -> filters.filter().query().limit(limit).afterId(afterId).build());
      try (CliContext context = CliContext.open(config)) {
        DeadLetters deadLetters = deadLetters(context);
        List<DeadLetter> page = deadLetters.list(query);
        PrintWriter out = spec.commandLine().getOut();
        if (page.isEmpty()) {
          out.println("no dead letter matches");
          out.flush();
          return OutboxCli.NOT_FOUND;
        }
        out.printf(
            "%-8s %-36s %-24s %-28s %-8s %s%n",
            "ID", "EVENT ID", "TYPE", "AGGREGATE", "ATTEMPTS", "DEAD-LETTERED AT / ERROR");
        for (DeadLetter d : page) {
          out.printf(
              "%-8d %-36s %-24s %-28s %-8d %s %s%n",
              d.id(),
              d.eventId(),
              d.eventType(),
              d.aggregateType() + "/" + d.aggregateId(),
              d.attempts(),
              d.deadLetteredAt(),
              oneLine(Redaction.text(d.lastError())));
        }
        if (page.size() < limit) {
          out.printf("%d dead letter(s)%n", page.size());
        } else {
          // A cut list says how much it left out.
          out.printf(
              "%d of %d dead letter(s); next page: --after-id %d%n",
              page.size(), deadLetters.count(query), page.get(page.size() - 1).id());
        }
        out.flush();
      }
      return OutboxCli.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows one dead letter: payload, headers, error.")
  static final class ShowCommand implements java.util.concurrent.Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config = new ConfigOption();

    @Parameters(paramLabel = "EVENT_ID", description = "the event id")
    String eventId = "";

    @Override
    public Integer call() {
      try (CliContext context = CliContext.open(config)) {
        DeadLetter d = find(deadLetters(context), eventId);
        PrintWriter out = spec.commandLine().getOut();
        out.println("event id:        " + d.eventId());
        out.println("dead letter id:  " + d.id() + " (outbox row " + d.originalId() + ")");
        out.println("type:            " + d.eventType());
        out.println("aggregate:       " + d.aggregateType() + "/" + d.aggregateId());
        out.println("topic:           " + d.topic());
        out.println("attempts:        " + d.attempts());
        out.println("written at:      " + d.createdAt());
        out.println("dead-lettered:   " + d.deadLetteredAt());
        out.println("traceparent:     " + (d.traceparent() == null ? "-" : d.traceparent()));
        out.println("headers:         " + Redaction.mask(String.valueOf(d.headers())));
        out.println(
            "error:           " + (d.lastError() == null ? "-" : Redaction.mask(d.lastError())));
        out.println("payload:");
        out.println(d.payload());
        out.flush();
      }
      return OutboxCli.OK;
    }
  }

  /** What replay and purge share: the dead letters named, or all that match the filters. */
  abstract static class BulkCommand implements java.util.concurrent.Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin ConfigOption config = new ConfigOption();

    @Parameters(paramLabel = "EVENT_ID", arity = "0..*", description = "event ids")
    List<String> eventIds = new ArrayList<>();

    @Option(names = "--matching", description = "every dead letter the filters select")
    boolean matching;

    @Option(
        names = "--all",
        description = "with --matching and no filter: every dead letter there is")
    boolean all;

    @Mixin DeadLetterFilters filters = new DeadLetterFilters();

    @Option(names = "--dry-run", description = "show what would be done; change nothing")
    boolean dryRun;

    @Option(names = "--yes", description = "do it without asking (needed off a terminal)")
    boolean yes;

    static final int DRY_RUN_SHOWN = 20;

    abstract DeadLetterChange.Action action();

    @Override
    public Integer call() {
      if (matching != eventIds.isEmpty()) {
        throw new ParameterException(
            spec.commandLine(),
            "give the EVENT_IDs to " + action().verb() + ", or --matching and filters");
      }
      DeadLetterFilter filter = build(spec, filters::filter);
      if (!matching && (!filter.isEmpty() || all)) {
        throw new ParameterException(
            spec.commandLine(), "filters and --all select only with --matching");
      }
      DeadLetterFilter selection =
          matching ? build(spec, () -> filter.forBulk(all, "--all")) : null;
      PrintWriter out = spec.commandLine().getOut();
      try (CliContext context = CliContext.open(config)) {
        DeadLetters deadLetters = deadLetters(context);
        DeadLetterChange change;
        if (selection == null) {
          // Every id named must be there before anything changes.
          eventIds.forEach(id -> find(deadLetters, id));
          change = deadLetters.select(action(), eventIds);
        } else {
          change = deadLetters.select(action(), selection);
          if (change.count() == 0) {
            out.println("no dead letter matches");
            out.flush();
            return OutboxCli.NOT_FOUND;
          }
        }
        if (dryRun) {
          out.printf("would %s:%n", change.describe());
          change.eventIds().stream().limit(DRY_RUN_SHOWN).forEach(out::println);
          if (change.count() > DRY_RUN_SHOWN) {
            out.printf("… and %d more%n", change.count() - DRY_RUN_SHOWN);
          }
          out.flush();
          return OutboxCli.OK;
        }
        if (!yes && needsConfirmation(selection != null) && !confirmed(change.count())) {
          out.println("not confirmed; nothing done");
          out.flush();
          return OutboxCli.DECLINED;
        }
        return run(change);
      }
    }

    /**
     * Runs the change with a progress bar; a dead letter that cannot be put back (its id is in the
     * outbox again) is reported as it comes.
     */
    private int run(DeadLetterChange change) {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Progress progress = new Progress(err, action().verb(), change.count());
      DeadLetterChange.Result result;
      try {
        result =
            change.run(
                new Operator(System.getProperty("user.name"), "command line", hostName()),
                (eventId, outcome, problem) -> {
                  if (problem != null) {
                    progress.interrupt();
                    err.println("could not " + action().verb() + " " + eventId + ": " + problem);
                  }
                  progress.step();
                });
      } finally {
        progress.finish();
      }
      out.printf("%s (as %s)%n", result.describe(), System.getProperty("user.name"));
      out.flush();
      return result.failure() == null && result.refused() == 0 ? OutboxCli.OK : OutboxCli.FAILED;
    }

    /**
     * A selection by filters is confirmed; dead letters named one by one only where their loss is
     * for good (purge), and only on a terminal: a script that names ids has chosen them.
     */
    private boolean needsConfirmation(boolean byFilters) {
      return byFilters || (action() == DeadLetterChange.Action.PURGE && Terminal.console() != null);
    }

    private boolean confirmed(int count) {
      Console console = Terminal.console();
      if (console == null) {
        throw new ParameterException(
            spec.commandLine(),
            "--matching selects "
                + count
                + " dead letter(s): add --yes to "
                + action().verb()
                + " them, or --dry-run to see them");
      }
      String answer =
          console.readLine("%s %d dead letter(s)? [y/N] ", capitalized(action().verb()), count);
      return answer != null && answer.strip().equalsIgnoreCase("y");
    }

    private static String capitalized(String verb) {
      return verb.substring(0, 1).toUpperCase(Locale.ROOT) + verb.substring(1);
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = "Puts dead letters back into the outbox, due at once.")
  static final class ReplayCommand extends BulkCommand {

    @Override
    DeadLetterChange.Action action() {
      return DeadLetterChange.Action.REPLAY;
    }
  }

  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description = "Deletes dead letters for good.")
  static final class PurgeCommand extends BulkCommand {

    @Override
    DeadLetterChange.Action action() {
      return DeadLetterChange.Action.PURGE;
    }
  }

  /** The host a command runs on, for the audit trail: where the change came from. */
  static @Nullable String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static DeadLetters deadLetters(CliContext context) {
    return DeadLetters.create(context.dataSource(), context.tables());
  }

  static DeadLetter find(DeadLetters deadLetters, String eventId) {
    List<DeadLetter> found =
        deadLetters.list(DeadLetterQuery.builder().eventId(eventId).limit(1).build());
    if (found.isEmpty()) {
      throw new NotFoundException("no dead letter has event id " + eventId);
    }
    return found.get(0);
  }

  /** The filter or query made, or its complaint about a filter as a usage error. */
  static <T> T build(CommandSpec spec, java.util.function.Supplier<T> made) {
    try {
      return made.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  static String oneLine(@Nullable String text) {
    if (text == null) {
      return "";
    }
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() <= 100 ? line : line.substring(0, 99) + "…";
  }
}
