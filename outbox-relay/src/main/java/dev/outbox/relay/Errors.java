package dev.outbox.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * A failure as one line for an operator: the messages of its chain of causes, each only where it
 * says something its effect's message did not (Spring's and JDBC's messages often repeat their
 * cause's), cut at {@value #MAX_LENGTH} characters.
 */
final class Errors {

  static final int MAX_LENGTH = 400;

  private Errors() {}

  static String describe(Throwable e) {
    List<String> messages = new ArrayList<>();
    String previous = "";
    int depth = 0;
    for (Throwable t = e; t != null && messages.size() < 4 && depth++ < 10; t = t.getCause()) {
      String message = t.getMessage();
      String text =
          (message == null || message.isBlank() ? t.getClass().getSimpleName() : message)
              .replaceAll("\\s+", " ")
              .strip();
      if (!previous.contains(text)) {
        messages.add(text);
      }
      previous = text;
    }
    String line = String.join(": ", messages);
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }
}
