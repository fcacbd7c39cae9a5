package dev.outbox.embedded.logs;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints what a failed test logged (held by {@link HeldLogAppender}) after its failure, and drops
 * the logs of a passing one. Registered for every test of a module by JUnit's extension
 * auto-detection ({@code junit.jupiter.extensions.autodetection.enabled=true} in its {@code
 * junit-platform.properties}).
 */
public final class PrintLogsOfFailedTests implements BeforeEachCallback, TestWatcher {

  @Override
  public void beforeEach(ExtensionContext context) {
    // What the class's set-up logged belongs to no single test.
    HeldLogAppender.takeAll();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    List<String> lines = HeldLogAppender.takeAll();
    PrintStream out = System.out;
    out.println("---- log of the failed test " + context.getDisplayName() + " ----");
    lines.forEach(out::print);
    out.println("---- end of the log of " + context.getDisplayName() + " ----");
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    HeldLogAppender.takeAll();
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    HeldLogAppender.takeAll();
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    HeldLogAppender.takeAll();
  }
}
