package dev.outbox.relay;

import dev.outbox.DeadLetterFilter;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The filters of {@code outbox dead-letters} as options; read by the one {@link DeadLetterFilter}
 * the console and the actuator endpoint share, so they take the same values and give the same
 * errors.
 */
final class DeadLetterFilters {

  @Option(names = "--type", paramLabel = "TYPE", description = "event type")
  @Nullable String eventType;

  @Option(names = "--aggregate-type", paramLabel = "TYPE", description = "aggregate type")
  @Nullable String aggregateType;

  @Option(
      names = "--aggregate-id",
      paramLabel = "ID",
      description = "aggregate id (with --aggregate-type)")
  @Nullable String aggregateId;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      description = "dead-lettered at or after, e.g. 2026-12-01T09:00:00Z")
  @Nullable String from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "dead-lettered before")
  @Nullable String to;

  @Option(
      names = "--error",
      paramLabel = "TEXT",
      description = "the last error contains this text (ignoring case)")
  @Nullable String error;

  /** The filter; an {@link IllegalArgumentException} naming the field when one is wrong. */
  DeadLetterFilter filter() {
    return DeadLetterFilter.builder()
        .eventType(eventType)
        .aggregateType(aggregateType)
        .aggregateId(aggregateId)
        .from(from)
        .to(to)
        .error(error)
        .build();
  }
}
