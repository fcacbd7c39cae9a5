package dev.outbox.relay;

import dev.outbox.console.internal.ExposedConsoleException;
import dev.outbox.console.internal.Failures;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code outbox} command: runs the relay, and lets an operator look at and repair the outbox
 * without writing SQL. One table of exit codes for every command: {@value #OK} done, {@value
 * #FAILED} failed (the database unreachable, say), {@value #USAGE} bad command line or missing
 * setting, {@value #NOT_FOUND} nothing has the id given or nothing matched, {@value #DECLINED} the
 * operator answered no.
 */
@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Runs and operates the transactional outbox: the relay, its status, dead letters, a"
            + " delivery check.",
    subcommands = {
      RelayCommand.class,
      StatusCommand.class,
      DeadLettersCommand.class,
      SchemaCommand.class,
      CheckCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:failed (the database or the broker unreachable, say)",
      "2:bad command line or missing setting",
      "3:nothing has the id given, or nothing matched",
      "4:declined at the confirmation"
    })
public final class OutboxCli implements Runnable {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int DECLINED = 4;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (!RelayCommand.ran()) {
      System.exit(code);
    }
  }

  /** The command line, with one line for a usage error and a message, not a trace, for others. */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new OutboxCli());
    commandLine.setParameterExceptionHandler(OutboxCli::usageError);
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          if (e instanceof ExposedConsoleException exposed) {
            // Its own words: they name settings, which the masking of secrets would blank out.
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + exposed.getMessage());
            return USAGE;
          }
          cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + Failures.describe(e));
          if (e instanceof NotFoundException) {
            return NOT_FOUND;
          }
          return e instanceof RequiredSettings.MissingSettingException ? USAGE : FAILED;
        });
    return commandLine;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(
        "outbox: "
            + e.getMessage()
            + " (see '"
            + cl.getCommandSpec().qualifiedName()
            + " --help')");
    return USAGE;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }
}
