package dev.outbox.embedded.logs;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Holds the formatted log lines of the running test instead of printing them; {@link
 * PrintLogsOfFailedTests} prints them when the test fails and drops them when it passes. Tests that
 * break the database or the broker on purpose log warnings and errors by design, and a passing
 * build should read as passing; a failing test still shows everything its run logged.
 *
 * <p>Configured in a {@code logback-test.xml} with a {@code <layout>}; keeps the last {@value
 * #MAX_LINES} lines.
 */
public final class HeldLogAppender extends AppenderBase<ILoggingEvent> {

  static final int MAX_LINES = 5_000;

  private static final Deque<String> HELD = new ArrayDeque<>();

  private @Nullable Layout<ILoggingEvent> layout;

  public void setLayout(Layout<ILoggingEvent> layout) {
    this.layout = layout;
  }

  @Override
  public void start() {
    if (layout == null) {
      addError("HeldLogAppender needs a <layout>");
      return;
    }
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    Layout<ILoggingEvent> current = layout;
    if (current == null) {
      return;
    }
    String line = current.doLayout(event);
    synchronized (HELD) {
      if (HELD.size() == MAX_LINES) {
        HELD.removeFirst();
      }
      HELD.addLast(line);
    }
  }

  /** Everything held since the last call, oldest first. */
  static List<String> takeAll() {
    synchronized (HELD) {
      List<String> lines = List.copyOf(HELD);
      HELD.clear();
      return lines;
    }
  }
}
