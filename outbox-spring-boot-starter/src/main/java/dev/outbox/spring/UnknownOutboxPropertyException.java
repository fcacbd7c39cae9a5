package dev.outbox.spring;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code outbox.*} properties no outbox module knows, each with where it was set and the known name
 * it most resembles; reported by {@link OutboxFailureAnalyzer}.
 */
final class UnknownOutboxPropertyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UnknownOutboxPropertyException(List<UnknownOutboxProperties.Unknown> unknown) {
    super(
        unknown.stream()
            .map(UnknownOutboxPropertyException::line)
            .collect(Collectors.joining("; ")));
  }

  private static String line(UnknownOutboxProperties.Unknown property) {
    return "unknown property "
        + property.name()
        + (property.origin() == null ? "" : " (" + property.origin() + ")")
        + (property.suggestion() == null ? "" : ": did you mean " + property.suggestion() + "?");
  }
}
