package dev.outbox.relay;

import dev.outbox.OutboxInspector;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code outbox status}: the backlog by status, the oldest waiting event, the leases. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Shows the backlog by status, the age of the oldest waiting event and the leases.")
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOption config = new ConfigOption();

  @Override
  public Integer call() {
    try (CliContext context = CliContext.open(config)) {
      OutboxInspector inspector = OutboxInspector.create(context.dataSource(), context.tables());
      print(spec.commandLine().getOut(), inspector.backlog(), inspector.leases(), Instant.now());
    }
    return OutboxCli.OK;
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
