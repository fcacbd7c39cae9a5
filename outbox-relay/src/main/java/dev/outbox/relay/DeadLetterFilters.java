package dev.outbox.relay;

import dev.outbox.DeadLetterQuery;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The filters of {@code outbox dead-letters}: what {@link DeadLetterQuery} selects by. */
final class DeadLetterFilters {

  @Option(names = "--type", paramLabel = "TYPE", description = "event type")
  @Nullable String eventType;

  @Option(names = "--aggregate-type", paramLabel = "TYPE", description = "aggregate type")
  @Nullable String aggregateType;

  @Option(names = "--aggregate-id", paramLabel = "ID", description = "aggregate id")
  @Nullable String aggregateId;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      description = "dead-lettered at or after, e.g. 2026-12-01T09:00:00Z")
  @Nullable Instant from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "dead-lettered before")
  @Nullable Instant to;

  @Option(
      names = "--error",
      paramLabel = "TEXT",
      description = "the last error contains this text (ignoring case)")
  @Nullable String error;

  boolean any() {
    return eventType != null
        || aggregateType != null
        || aggregateId != null
        || from != null
        || to != null
        || error != null;
  }

  DeadLetterQuery.Builder query() {
    DeadLetterQuery.Builder query = DeadLetterQuery.builder();
    if (eventType != null) {
      query.eventType(eventType);
    }
    if (aggregateType != null) {
      query.aggregateType(aggregateType);
    }
    if (aggregateId != null) {
      if (aggregateType == null) {
        throw new IllegalArgumentException("--aggregate-id needs --aggregate-type");
      }
      query.aggregate(aggregateType, aggregateId);
    }
    if (error != null) {
      if (error.isEmpty()) {
        throw new IllegalArgumentException("--error must not be empty");
      }
      query.errorContains(error);
    }
    query.deadLetteredBetween(from, to);
    return query;
  }
}
