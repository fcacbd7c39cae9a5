package dev.outbox.console;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A failure as one line for the page: the messages of its causes that add something, with
 * credentials masked ({@link Redaction}) before the line is cut.
 */
final class ConsoleErrors {

  private static final int MAX_LENGTH = 400;

  private ConsoleErrors() {}

  static String describe(Throwable e) {
    List<String> messages = new ArrayList<>();
    String previous = "";
    int depth = 0;
    for (@Nullable Throwable t = e; t != null && messages.size() < 4 && depth++ < 10; ) {
      String message = t.getMessage();
      String text =
          (message == null || message.isBlank() ? t.getClass().getSimpleName() : message)
              .replaceAll("\\s+", " ")
              .strip();
      if (!previous.contains(text)) {
        messages.add(text);
      }
      previous = text;
      t = t.getCause();
    }
    String line = Redaction.mask(String.join(": ", messages));
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }
}
