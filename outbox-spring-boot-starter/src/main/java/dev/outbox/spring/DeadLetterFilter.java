package dev.outbox.spring;

import dev.outbox.DeadLetterQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outbox endpoint's dead-letter filters as a {@link DeadLetterQuery}; an {@link
 * IllegalArgumentException} naming the filter and its problem when one is wrong.
 */
final class DeadLetterFilter {

  private DeadLetterFilter() {}

  static DeadLetterQuery query(
      @Nullable String eventType,
      @Nullable String aggregateType,
      @Nullable String aggregateId,
      @Nullable String from,
      @Nullable String to,
      @Nullable Long afterId,
      @Nullable Integer limit) {
    DeadLetterQuery.Builder b = DeadLetterQuery.builder();
    if (eventType != null) {
      b.eventType(eventType);
    }
    if (aggregateId != null) {
      if (aggregateType == null) {
        throw new IllegalArgumentException(
            "aggregateId needs aggregateType: an aggregate is its type and its id");
      }
      b.aggregate(aggregateType, aggregateId);
    } else if (aggregateType != null) {
      b.aggregateType(aggregateType);
    }
    if (from != null || to != null) {
      b.deadLetteredBetween(instant("from", from), instant("to", to));
    }
    if (afterId != null) {
      b.afterId(afterId);
    }
    if (limit != null) {
      b.limit(limit);
    }
    return b.build();
  }

  /** For a replay or purge of all matches: without a filter, only when {@code all} is true. */
  static DeadLetterQuery bulk(
      @Nullable String eventType,
      @Nullable String aggregateType,
      @Nullable String aggregateId,
      @Nullable String from,
      @Nullable String to,
      @Nullable Boolean all) {
    DeadLetterQuery query =
        query(eventType, aggregateType, aggregateId, from, to, null, DeadLetterQuery.MAX_LIMIT);
    if (describe(query).isEmpty() && !Boolean.TRUE.equals(all)) {
      throw new IllegalArgumentException(
          "Replaying or purging every dead letter needs all=true; or filter by eventType,"
              + " aggregateType, aggregateId, from or to");
    }
    return query;
  }

  /** The query's filters, as a log line shows them; empty for all dead letters. */
  static String describe(DeadLetterQuery query) {
    List<String> filters = new ArrayList<>();
    add(filters, "eventType", query.eventType());
    add(filters, "aggregateType", query.aggregateType());
    add(filters, "aggregateId", query.aggregateId());
    add(filters, "from", query.from());
    add(filters, "to", query.to());
    return String.join(", ", filters);
  }

  private static void add(List<String> filters, String name, @Nullable Object value) {
    if (value != null) {
      filters.add(name + "=" + value);
    }
  }

  private static @Nullable Instant instant(String name, @Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " '" + value + "' is not an ISO-8601 instant such as 2026-12-01T09:30:00Z");
    }
  }
}
