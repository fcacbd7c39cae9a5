package dev.outbox.console;

import dev.outbox.DeadLetterFilter;
import org.jspecify.annotations.Nullable;

/**
 * The page's dead-letter filter as it arrives, from query parameters or a JSON body; read by the
 * one {@link DeadLetterFilter} every surface shares, which names a bad field in its error.
 */
record FilterParams(
    @Nullable String eventType,
    @Nullable String aggregateType,
    @Nullable String aggregateId,
    @Nullable String from,
    @Nullable String to,
    @Nullable String error) {

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
