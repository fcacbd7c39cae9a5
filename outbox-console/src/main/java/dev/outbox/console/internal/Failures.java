package dev.outbox.console.internal;

import dev.outbox.Redaction;

/** A failure as one line for an operator: {@link Redaction#describe}. */
public final class Failures {

  private Failures() {}

  public static String describe(Throwable e) {
    return Redaction.describe(e);
  }
}
