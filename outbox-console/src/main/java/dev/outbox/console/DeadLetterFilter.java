package dev.outbox.console;

import dev.outbox.DeadLetterQuery;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The page's dead-letter filter, from query parameters or a JSON body: blank fields select nothing;
 * a bad one is named in the error.
 */
record DeadLetterFilter(
    @Nullable String eventType,
    @Nullable String aggregateType,
    @Nullable String aggregateId,
    @Nullable String from,
    @Nullable String to,
    @Nullable String error) {

  static final DeadLetterFilter NONE = new DeadLetterFilter(null, null, null, null, null, null);

  DeadLetterQuery.Builder query() {
    DeadLetterQuery.Builder query = DeadLetterQuery.builder();
    String type = given(eventType);
    if (type != null) {
      query.eventType(type);
    }
    String aggType = given(aggregateType);
    String aggId = given(aggregateId);
    if (aggId != null) {
      if (aggType == null) {
        throw new IllegalArgumentException("aggregateId needs aggregateType");
      }
      query.aggregate(aggType, aggId);
    } else if (aggType != null) {
      query.aggregateType(aggType);
    }
    String text = given(error);
    if (text != null) {
      query.errorContains(text);
    }
    query.deadLetteredBetween(instant("from", from), instant("to", to));
    return query;
  }

  /** The fields given, as {@code name=value, …}, or {@code everything}. */
  String describe() {
    List<String> parts = new ArrayList<>();
    add(parts, "eventType", eventType);
    add(parts, "aggregateType", aggregateType);
    add(parts, "aggregateId", aggregateId);
    add(parts, "from", from);
    add(parts, "to", to);
    add(parts, "error", error);
    return parts.isEmpty() ? "everything" : String.join(", ", parts);
  }

  private static void add(List<String> parts, String name, @Nullable String value) {
    String given = given(value);
    if (given != null) {
      parts.add(name + "=" + given);
    }
  }

  private static @Nullable Instant instant(String name, @Nullable String value) {
    String given = given(value);
    if (given == null) {
      return null;
    }
    try {
      return Instant.parse(given);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " must be an instant such as 2026-12-01T09:00:00Z, was '" + given + "'");
    }
  }

  private static @Nullable String given(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
