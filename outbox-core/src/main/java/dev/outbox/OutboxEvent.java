package dev.outbox;

import static dev.outbox.internal.EventValidation.MAX_EVENT_ID_LENGTH;
import static dev.outbox.internal.EventValidation.MAX_HEADERS_LENGTH;
import static dev.outbox.internal.EventValidation.MAX_HEADER_VALUE_LENGTH;
import static dev.outbox.internal.EventValidation.MAX_NAME_LENGTH;

import dev.outbox.internal.EventIds;
import dev.outbox.internal.EventValidation;
import dev.outbox.internal.Json;
import dev.outbox.spi.PayloadSerializer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A domain event to be saved in the outbox and published after its transaction commits.
 *
 * <p>Instances are immutable and always valid: the factory and the builder check every field and
 * throw {@link InvalidEventException} naming the first field that is wrong.
 *
 * <pre>{@code
 * OutboxEvent event = OutboxEvent.of(
 *     "evt-004", "ProductCreated", "Product", "product-789", "product-events",
 *     Map.of("product_id", "product-789", "name", "Example Product", "price", 29.99));
 * }</pre>
 */
public final class OutboxEvent {

  private final String eventId;
  private final String eventType;
  private final String aggregateType;
  private final String aggregateId;
  private final String topic;
  private final String payload;
  private final @Nullable String traceparent;
  private final Map<String, String> headers;

  private OutboxEvent(Builder b) {
    this.eventId =
        EventValidation.requireText(
            "eventId", b.eventId != null ? b.eventId : EventIds.newId(), MAX_EVENT_ID_LENGTH);
    this.eventType = EventValidation.requireText("eventType", b.eventType, MAX_NAME_LENGTH);
    this.aggregateType =
        EventValidation.requireText("aggregateType", b.aggregateType, MAX_NAME_LENGTH);
    this.aggregateId = EventValidation.requireText("aggregateId", b.aggregateId, MAX_NAME_LENGTH);
    this.topic = EventValidation.requireTopic(b.topic);
    this.payload = EventValidation.requireJson("payload", b.payload);
    this.traceparent = b.traceparent;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    int headersLength =
        headers.entrySet().stream()
            .mapToInt(e -> e.getKey().length() + e.getValue().length())
            .sum();
    if (headersLength > MAX_HEADERS_LENGTH) {
      throw new InvalidEventException(
          "headers",
          "total "
              + headersLength
              + " characters of names and values; at most "
              + MAX_HEADERS_LENGTH
              + " allowed");
    }
  }

  /**
   * Names of the headers the outbox publishes itself ({@code event_id}, {@code event_type}, {@code
   * aggregate_type}, {@code aggregate_id}, {@code traceparent}); {@link Builder#header} refuses
   * them, so a consumer can trust, for example, {@code event_id} to be the outbox's own.
   */
  public static final Set<String> RESERVED_HEADER_NAMES =
      Set.of("event_id", "event_type", "aggregate_type", "aggregate_id", "traceparent");

  /**
   * Creates an event the way the specification's {@code NewOutboxEvent} does.
   *
   * @param payload a {@code Map}, {@code List}, number or other plain value, written as JSON by the
   *     built-in {@link PayloadSerializer#PLAIN_VALUES}; JSON text goes through {@link
   *     Builder#payloadJson}, and a {@code String} here is refused, naming it
   * @param eventId the event's unique id, used by consumers to drop duplicates
   * @param eventType the event's type, for example {@code UserCreated}
   * @param aggregateType the aggregate's type, for example {@code User}
   * @param aggregateId the aggregate instance; its events are published in the order saved
   * @param topic the destination, such as a Kafka topic
   * @return the event
   * @throws InvalidEventException naming the first field that is invalid
   */
  public static OutboxEvent of(
      String eventId,
      String eventType,
      String aggregateType,
      String aggregateId,
      String topic,
      Object payload) {
    Builder builder =
        builder()
            .eventId(eventId)
            .eventType(eventType)
            .aggregateType(aggregateType)
            .aggregateId(aggregateId)
            .topic(topic)
            .payload(payload);
    return builder.build();
  }

  /**
   * {@return a builder whose {@link Builder#payload(Object)} writes with the built-in serializer}
   */
  public static Builder builder() {
    return new Builder(PayloadSerializer.PLAIN_VALUES);
  }

  /**
   * A builder whose {@link Builder#payload(Object)} writes with {@code serializer}: your JSON
   * library, so that domain objects are written as everywhere else in your application.
   *
   * @param serializer writes {@link Builder#payload(Object)} values as JSON
   * @return the builder
   */
  public static Builder builder(PayloadSerializer serializer) {
    return new Builder(Objects.requireNonNull(serializer, "serializer"));
  }

  /** {@return a builder pre-filled with this event's fields, for deriving a similar event} */
  public Builder toBuilder() {
    Builder b =
        builder()
            .eventId(eventId)
            .eventType(eventType)
            .aggregateType(aggregateType)
            .aggregateId(aggregateId)
            .topic(topic)
            .payloadJson(payload)
            .headers(headers);
    b.traceparent = traceparent;
    return b;
  }

  /** {@return the event's unique id; consumers use it to drop duplicates} */
  public String eventId() {
    return eventId;
  }

  /** {@return the event's type, for example {@code UserCreated}} */
  public String eventType() {
    return eventType;
  }

  /** {@return its aggregate's type, for example {@code User}} */
  public String aggregateType() {
    return aggregateType;
  }

  /** {@return the aggregate instance; events of one aggregate are published in the order saved} */
  public String aggregateId() {
    return aggregateId;
  }

  /** {@return the destination the event is published to, such as a Kafka topic} */
  public String topic() {
    return topic;
  }

  /** {@return the JSON document, exactly as it will be stored and published} */
  public String payload() {
    return payload;
  }

  /** {@return the W3C trace context ({@code 00-<trace id>-<span id>-<flags>}), if any} */
  public @Nullable String traceparent() {
    return traceparent;
  }

  /**
   * {@return the trace id of {@link #traceparent()} (32 hex digits), or {@code null} without one}
   */
  public @Nullable String traceId() {
    return traceparent == null ? null : traceparent.substring(3, 35);
  }

  /**
   * {@return the span id of {@link #traceparent()} (16 hex digits), or {@code null} without one}
   */
  public @Nullable String spanId() {
    return traceparent == null ? null : traceparent.substring(36, 52);
  }

  /**
   * {@return the free headers, published alongside the outbox's own ones, in insertion order; empty
   * when there are none}
   */
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutboxEvent other
        && eventId.equals(other.eventId)
        && eventType.equals(other.eventType)
        && aggregateType.equals(other.aggregateType)
        && aggregateId.equals(other.aggregateId)
        && topic.equals(other.topic)
        && payload.equals(other.payload)
        && Objects.equals(traceparent, other.traceparent)
        && headers.equals(other.headers);
  }

  @Override
  public int hashCode() {
    return eventId.hashCode();
  }

  @Override
  public String toString() {
    return "OutboxEvent{eventId="
        + eventId
        + ", eventType="
        + eventType
        + ", aggregate="
        + aggregateType
        + "/"
        + aggregateId
        + ", topic="
        + topic
        + "}";
  }

  /** Builds an {@link OutboxEvent}; {@link #build()} validates every field. */
  public static final class Builder {
    private @Nullable String eventId;
    private @Nullable String eventType;
    private @Nullable String aggregateType;
    private @Nullable String aggregateId;
    private @Nullable String topic;
    private @Nullable String payload;
    private @Nullable String traceparent;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final PayloadSerializer serializer;

    private Builder(PayloadSerializer serializer) {
      this.serializer = serializer;
    }

    /**
     * Optional: a time-ordered UUID is generated when no id is given.
     *
     * @param eventId the id, unique in the outbox
     * @return this builder
     */
    public Builder eventId(String eventId) {
      this.eventId = eventId;
      return this;
    }

    /**
     * Required: the event's type, for example {@code UserCreated}.
     *
     * @param eventType a non-blank name, checked by {@link #build()}
     * @return this builder
     */
    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    /**
     * Required: the aggregate's type, for example {@code User}.
     *
     * @param aggregateType a non-blank name, checked by {@link #build()}
     * @return this builder
     */
    public Builder aggregateType(String aggregateType) {
      this.aggregateType = aggregateType;
      return this;
    }

    /**
     * Required: the aggregate instance, whose events are published in the order saved.
     *
     * @param aggregateId a non-blank id, checked by {@link #build()}
     * @return this builder
     */
    public Builder aggregateId(String aggregateId) {
      this.aggregateId = aggregateId;
      return this;
    }

    /**
     * Required: the destination, such as a Kafka topic.
     *
     * @param topic a valid topic name, checked by {@link #build()}
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /**
     * The payload as a value, written as JSON by this builder's serializer ({@link
     * OutboxEvent#builder(PayloadSerializer)}; by default plain values: Maps, Lists, numbers,
     * booleans…). A {@code String} is refused: JSON text goes through {@link #payloadJson}, which
     * stores it as given, where a serializer would write it as one JSON string.
     *
     * @param value the payload; not {@code null} and not text
     * @return this builder
     * @throws InvalidEventException naming the payload, or the path inside it, that has no JSON
     *     form
     */
    public Builder payload(@Nullable Object value) {
      if (value == null) {
        throw new InvalidEventException("payload", "is required but was null");
      }
      if (value instanceof CharSequence) {
        throw new InvalidEventException(
            "payload",
            "is a String: pass JSON text with payloadJson(String), which stores it as given; a"
                + " payload that is one JSON string goes there too, quoted (\"\\\"text\\\"\")");
      }
      try {
        this.payload = serializer.toJson(value);
      } catch (Json.JsonException e) {
        throw new InvalidEventException("payload" + e.path(), e.problem());
      } catch (RuntimeException e) {
        throw new InvalidEventException(
            "payload", "could not be written as JSON by the payload serializer: " + e.getMessage());
      }
      return this;
    }

    /**
     * The payload as JSON text, stored and published exactly as given once it parses.
     *
     * @param json a JSON document, checked by {@link #build()}
     * @return this builder
     */
    public Builder payloadJson(String json) {
      this.payload = json;
      return this;
    }

    /**
     * Trace context from a trace id (32 hex) and span id (16 hex), sampled.
     *
     * @param traceId 32 lowercase hex digits, not all zeros
     * @param spanId 16 lowercase hex digits, not all zeros
     * @return this builder
     * @throws InvalidEventException if either id is malformed
     */
    public Builder trace(String traceId, String spanId) {
      this.traceparent =
          "00-"
              + EventValidation.requireTraceId(traceId)
              + "-"
              + EventValidation.requireSpanId(spanId)
              + "-01";
      return this;
    }

    /**
     * Trace context as a W3C {@code traceparent} header value; {@code null} clears it.
     *
     * @param traceparent a {@code traceparent} value, or {@code null}
     * @return this builder
     */
    public Builder traceparent(@Nullable String traceparent) {
      this.traceparent =
          traceparent == null ? null : EventValidation.requireTraceparent(traceparent);
      return this;
    }

    /**
     * A free header, published with the event in the order given; names in {@link
     * #RESERVED_HEADER_NAMES} are refused.
     *
     * @param name the header's name
     * @param value the header's value
     * @return this builder
     * @throws InvalidEventException if the name is reserved or blank, or either is too long
     */
    public Builder header(String name, String value) {
      String field = "headers[" + name + "]";
      EventValidation.requireText("header name", name, MAX_NAME_LENGTH);
      if (RESERVED_HEADER_NAMES.contains(name)) {
        throw new InvalidEventException(
            field,
            "is a name the outbox publishes itself (reserved: event_id, event_type,"
                + " aggregate_type, aggregate_id, traceparent); choose another name");
      }
      if (value == null) {
        throw new InvalidEventException(field, "must not be null");
      }
      if (value.length() > MAX_HEADER_VALUE_LENGTH) {
        throw new InvalidEventException(
            field, "is " + value.length() + " characters; at most " + MAX_HEADER_VALUE_LENGTH);
      }
      EventValidation.requireNoNul(field, value);
      headers.put(name, value);
      return this;
    }

    /**
     * Adds each of these headers in the map's order, as {@link #header} does.
     *
     * @param headers the headers to add
     * @return this builder
     * @throws InvalidEventException for the first header that is refused
     */
    public Builder headers(Map<String, String> headers) {
      headers.forEach(this::header);
      return this;
    }

    /**
     * {@return the event}
     *
     * @throws InvalidEventException naming the first field that is missing or invalid
     */
    public OutboxEvent build() {
      return new OutboxEvent(this);
    }
  }
}
