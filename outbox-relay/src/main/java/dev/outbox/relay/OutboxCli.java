package dev.outbox.relay;

import dev.outbox.Redaction;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code outbox} command: runs the relay, and lets an operator look at and repair the outbox
 * without writing SQL. One table of exit codes for every command: {@value #OK} done, {@value
 * #FAILED} failed (the database unreachable, say), {@value #USAGE} bad command line or
 * configuration, {@value #NOT_FOUND} nothing has the id given or nothing matched, {@value
 * #DECLINED} the operator answered no. A failure is a line on standard error (two for a start that
 * Spring Boot's failure analysis explains: what is wrong, what to do), its stack trace only with
 * {@code --debug}.
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
      "2:bad command line or configuration (a setting missing or refused, a malformed --config"
          + " file)",
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

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "on a failure, print its stack trace too; the relay logs its start as it goes")
  boolean debug;

  public static void main(String[] args) {
    int code = commandLine().execute(args);
    if (!RelayCommand.ran()) {
      System.exit(code);
    }
  }

  /** The command line, with one line for a usage error and a message, not a trace, for others. */
  static CommandLine commandLine() {
    OutboxCli outbox = new OutboxCli();
    CommandLine commandLine = new CommandLine(outbox);
    commandLine.setParameterExceptionHandler(OutboxCli::usageError);
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          PrintWriter err = cl.getErr();
          String command = cl.getCommandSpec().qualifiedName();
          int code;
          if (e instanceof StartFailure failure) {
            err.println(command + ": " + failure.lines().get(0));
            failure.lines().stream().skip(1).forEach(line -> err.println("  " + line));
            code = failure.exitCode();
          } else {
            err.println(command + ": " + Redaction.describe(e));
            code = e instanceof NotFoundException ? NOT_FOUND : FAILED;
          }
          if (outbox.debug) {
            (e instanceof StartFailure && e.getCause() != null ? e.getCause() : e)
                .printStackTrace(err);
          }
          return code;
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
