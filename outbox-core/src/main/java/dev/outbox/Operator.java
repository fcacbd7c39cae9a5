package dev.outbox;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who changes dead letters, for the audit trail: a name, the surface used, and where the request
 * came from when the surface knows it.
 *
 * @param name the signed-in user, the operating-system user of a command, or the principal of an
 *     actuator call
 * @param via the surface: {@code console}, {@code actuator}, {@code command line}, {@code api}
 * @param from the client's address, or the host a command ran on; {@code null} if unknown
 */
public record Operator(String name, String via, @Nullable String from) {

  /** The application's own code calling {@link DeadLetters} directly. */
  public static final Operator APPLICATION = new Operator("the application", "api", null);

  /**
   * Checks that the name and surface are given.
   *
   * @param name the operator's name
   * @param via the surface used
   * @param from where the request came from, or {@code null}
   * @throws NullPointerException if {@code name} or {@code via} is {@code null}
   */
  public Operator {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(via, "via");
  }

  /** As the audit trail names it: {@code alice (console, from 10.0.0.5)}. */
  @Override
  public String toString() {
    return name + " (" + via + (from == null ? "" : ", from " + from) + ")";
  }
}
