package dev.outbox.relay;

import java.util.LinkedHashSet;
import java.util.Set;

/** A failure as one line for an operator: each distinct message of its chain of causes. */
final class Errors {

  private Errors() {}

  static String describe(Throwable e) {
    Set<String> messages = new LinkedHashSet<>();
    for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause()) {
      String message = t.getMessage();
      messages.add(message == null || message.isBlank() ? t.getClass().getSimpleName() : message);
    }
    return String.join(": ", messages);
  }
}
