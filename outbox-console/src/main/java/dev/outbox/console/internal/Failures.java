package dev.outbox.console.internal;

import dev.outbox.Redaction;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A failure as one line for an operator, on the console's page or the command line: the messages of
 * its causes that add something, with credentials masked ({@link Redaction}) before the line is
 * cut.
 */
public final class Failures {

  private static final int MAX_LENGTH = 400;

  private Failures() {}

  public static String describe(Throwable e) {
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
