package dev.outbox.relay;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code outbox} command in the test's JVM and keeps what it printed. */
record Cli(int exitCode, String out, String err) {

  static Cli run(String... args) {
    CommandLine commandLine = OutboxCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Cli(code, out.toString(), err.toString());
  }
}
