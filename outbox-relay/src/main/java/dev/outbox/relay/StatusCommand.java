package dev.outbox.relay;

import dev.outbox.OutboxInspector;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outbox status}: the backlog by status, the oldest waiting event, the leases, the held
 * aggregates; and the workers of the relays named with {@code --relay}.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the backlog by status, the age of the oldest waiting event, the leases and the"
          + " aggregates held behind dead letters; with --relay, each relay's workers.",
      "Exits 1 if a relay named does not answer."
    })
final class StatusCommand implements Callable<Integer> {

  static final int HELD_SHOWN = 10;

  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  @Option(
      names = "--relay",
      paramLabel = "URL",
      description =
          "a running relay's console, e.g. http://127.0.0.1:8480/outbox, whose workers to show;"
              + " may be repeated")
  List<URI> relays = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (CliContext context = CliContext.open(config)) {
      OutboxInspector inspector = OutboxInspector.create(context.dataSource(), context.tables());
      print(out, inspector.backlog(), inspector.leases(), Instant.now());
      List<OutboxInspector.HeldAggregate> held = inspector.heldAggregates(HELD_SHOWN);
      printHeld(out, held, held.size() < HELD_SHOWN ? held.size() : inspector.heldAggregateCount());
    }
    boolean allAnswered = true;
    for (URI relay : relays) {
      allAnswered &= RelayWorkers.print(out, relay);
    }
    out.flush();
    return allAnswered ? OutboxCli.OK : OutboxCli.FAILED;
  }

  private static void printHeld(
      PrintWriter out, List<OutboxInspector.HeldAggregate> held, long total) {
    if (held.isEmpty()) {
      out.println("held behind dead letters: none");
    }
    for (OutboxInspector.HeldAggregate aggregate : held) {
      out.printf(
          "held behind a dead letter: %s/%s, %d event(s) waiting since %s%n",
          aggregate.aggregateType(),
          aggregate.aggregateId(),
          aggregate.waitingEvents(),
          aggregate.oldestWaitingCreatedAt());
    }
    if (total > held.size()) {
      out.println("(the first " + held.size() + " of " + total + " shown)");
    }
  }

  static void print(
      PrintWriter out,
      OutboxInspector.Backlog backlog,
      List<OutboxInspector.Lease> leases,
      Instant now) {
    out.printf(
        "backlog: %d unsent (pending %d, retry %d, processing %d, failed %d); %d dead letters%n",
        backlog.unsent(),
        backlog.pending(),
        backlog.retry(),
        backlog.processing(),
        backlog.failed(),
        backlog.deadLetters());
    Instant oldest = backlog.oldestWaitingCreatedAt();
    out.println(
        oldest == null
            ? "oldest waiting: none"
            : "oldest waiting: "
                + Durations.human(Duration.between(oldest, now))
                + " old (written "
                + oldest
                + ")");
    if (leases.isEmpty()) {
      out.println("leases in the table: none");
    }
    for (OutboxInspector.Lease lease : leases) {
      Instant until = lease.until();
      out.printf(
          "lease: %s holds %d event(s) until %s%s%n",
          lease.owner() == null ? "?" : lease.owner(),
          lease.events(),
          until == null ? "?" : until,
          until != null && until.isBefore(now)
              ? " (expired: the stuck-event worker takes them back)"
              : "");
    }
    out.flush();
  }
}
