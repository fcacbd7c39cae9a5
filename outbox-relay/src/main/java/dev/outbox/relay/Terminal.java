package dev.outbox.relay;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/** Whether a person is at the command line to answer a question. */
final class Terminal {

  private Terminal() {}

  /**
   * The console if the command runs on a terminal, or null (a script, a pipe, a test). Up to JDK 21
   * a console exists only then; from JDK 22 one always does, and {@code isTerminal()} tells.
   */
  @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() is asked where it exists
  static @Nullable Console console() {
    Console console = System.console();
    if (console == null) {
      return null;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return Boolean.TRUE.equals(isTerminal.invoke(console)) ? console : null;
    } catch (NoSuchMethodException e) {
      return console;
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }
}
