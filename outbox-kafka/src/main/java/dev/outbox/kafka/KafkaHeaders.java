package dev.outbox.kafka;

import dev.outbox.OutboxEvent;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Names of the headers {@link KafkaPublisher} puts on every record, for consumers to read. All
 * values are UTF-8 strings.
 *
 * <p>These names are reserved: an application header with the same name (exact, case-sensitive
 * match) is not published, so a consumer can trust that, for example, {@link #EVENT_ID} is the
 * outbox's own event id and deduplicate on it.
 */
public final class KafkaHeaders {

  /** Unique id of the event; the key for dropping duplicates (delivery is at least once). */
  public static final String EVENT_ID = "event_id";

  /** Event type, for example {@code UserCreated}. */
  public static final String EVENT_TYPE = "event_type";

  /** Aggregate type, for example {@code User}. */
  public static final String AGGREGATE_TYPE = "aggregate_type";

  /** Aggregate id; also the record key. */
  public static final String AGGREGATE_ID = "aggregate_id";

  /** W3C trace context; present only when the event carried one. */
  public static final String TRACEPARENT = "traceparent";

  /** Every reserved header name. */
  public static final Set<String> RESERVED = OutboxEvent.RESERVED_HEADER_NAMES;

  private KafkaHeaders() {}

  /** Whether {@code name} is one of the outbox's own headers. */
  public static boolean isReserved(String name) {
    return RESERVED.contains(name);
  }

  /**
   * The last value of header {@code name} decoded as UTF-8, or {@code null} when the record has no
   * such header (or it has a null value).
   */
  public static @Nullable String lastValue(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    if (header == null || header.value() == null) {
      return null;
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
