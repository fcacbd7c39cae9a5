package dev.outbox.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A committed outbox event as the dispatcher hands it to a {@link Publisher}. A class rather than a
 * record, so that it can gain fields without breaking publishers; {@link #builder()} makes one (for
 * a test of a publisher), {@link #toBuilder()} one like it (for a wrapper that changes a field).
 */
public final class EventRecord {
  private final String eventId;
  private final String eventType;
  private final String aggregateType;
  private final String aggregateId;
  private final String topic;
  private final String payload;
  private final @Nullable String traceparent;
  private final Map<String, String> headers;
  private final Instant createdAt;
  private final int attempt;

  private EventRecord(Builder b) {
    this.eventId = Objects.requireNonNull(b.eventId, "eventId");
    this.eventType = Objects.requireNonNull(b.eventType, "eventType");
    this.aggregateType = Objects.requireNonNull(b.aggregateType, "aggregateType");
    this.aggregateId = Objects.requireNonNull(b.aggregateId, "aggregateId");
    this.topic = Objects.requireNonNull(b.topic, "topic");
    this.payload = Objects.requireNonNull(b.payload, "payload");
    this.traceparent = b.traceparent;
    Map<String, String> ordered = new LinkedHashMap<>();
    b.headers.forEach(
        (name, value) ->
            ordered.put(
                Objects.requireNonNull(name, "header name"),
                Objects.requireNonNull(value, () -> "value of header " + name)));
    this.headers = Collections.unmodifiableMap(ordered);
    this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
    this.attempt = b.attempt;
  }

  /**
   * {@return a builder of an event record; every field but the trace context and headers is
   * required}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this record's fields, to make one that differs in some} */
  public Builder toBuilder() {
    return builder()
        .eventId(eventId)
        .eventType(eventType)
        .aggregateType(aggregateType)
        .aggregateId(aggregateId)
        .topic(topic)
        .payload(payload)
        .traceparent(traceparent)
        .headers(headers)
        .createdAt(createdAt)
        .attempt(attempt);
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

  /** {@return the aggregate instance; events of one aggregate are published in write order} */
  public String aggregateId() {
    return aggregateId;
  }

  /** {@return the destination topic} */
  public String topic() {
    return topic;
  }

  /** {@return the JSON document exactly as it was written} */
  public String payload() {
    return payload;
  }

  /** {@return the W3C trace context, or {@code null} when the event carries none} */
  public @Nullable String traceparent() {
    return traceparent;
  }

  /**
   * {@return the free headers given by the application, in the order it gave them; empty, never
   * {@code null}, when there are none}
   */
  public Map<String, String> headers() {
    return headers;
  }

  /** {@return when the event was written} */
  public Instant createdAt() {
    return createdAt;
  }

  /** {@return the attempt this publish is: 1 for the first, 2 for the first retry, and so on} */
  public int attempt() {
    return attempt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventRecord r
        && eventId.equals(r.eventId)
        && eventType.equals(r.eventType)
        && aggregateType.equals(r.aggregateType)
        && aggregateId.equals(r.aggregateId)
        && topic.equals(r.topic)
        && payload.equals(r.payload)
        && Objects.equals(traceparent, r.traceparent)
        && headers.equals(r.headers)
        && createdAt.equals(r.createdAt)
        && attempt == r.attempt;
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, attempt);
  }

  @Override
  public String toString() {
    return "EventRecord[eventId="
        + eventId
        + ", eventType="
        + eventType
        + ", aggregate="
        + aggregateType
        + "/"
        + aggregateId
        + ", topic="
        + topic
        + ", attempt="
        + attempt
        + "]";
  }

  /** Builds an {@link EventRecord}. */
  public static final class Builder {
    private @Nullable String eventId;
    private @Nullable String eventType;
    private @Nullable String aggregateType;
    private @Nullable String aggregateId;
    private @Nullable String topic;
    private @Nullable String payload;
    private @Nullable String traceparent;
    private Map<String, String> headers = Map.of();
    private @Nullable Instant createdAt;
    private int attempt = 1;

    private Builder() {}

    /**
     * See {@link EventRecord#eventId()}.
     *
     * @param eventId the new value
     * @return this builder
     */
    public Builder eventId(String eventId) {
      this.eventId = eventId;
      return this;
    }

    /**
     * See {@link EventRecord#eventType()}.
     *
     * @param eventType the new value
     * @return this builder
     */
    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    /**
     * See {@link EventRecord#aggregateType()}.
     *
     * @param aggregateType the new value
     * @return this builder
     */
    public Builder aggregateType(String aggregateType) {
      this.aggregateType = aggregateType;
      return this;
    }

    /**
     * See {@link EventRecord#aggregateId()}.
     *
     * @param aggregateId the new value
     * @return this builder
     */
    public Builder aggregateId(String aggregateId) {
      this.aggregateId = aggregateId;
      return this;
    }

    /**
     * See {@link EventRecord#topic()}.
     *
     * @param topic the new value
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /**
     * See {@link EventRecord#payload()}.
     *
     * @param payload the new value
     * @return this builder
     */
    public Builder payload(String payload) {
      this.payload = payload;
      return this;
    }

    /**
     * See {@link EventRecord#traceparent()}.
     *
     * @param traceparent the new value
     * @return this builder
     */
    public Builder traceparent(@Nullable String traceparent) {
      this.traceparent = traceparent;
      return this;
    }

    /**
     * See {@link EventRecord#headers()}.
     *
     * @param headers the new value
     * @return this builder
     */
    public Builder headers(Map<String, String> headers) {
      this.headers = headers;
      return this;
    }

    /**
     * See {@link EventRecord#createdAt()}.
     *
     * @param createdAt the new value
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /**
     * See {@link EventRecord#attempt()} (1 unless set).
     *
     * @param attempt the new value
     * @return this builder
     */
    public Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    /**
     * {@return the record}
     *
     * @throws NullPointerException if a required field was not set
     */
    public EventRecord build() {
      return new EventRecord(this);
    }
  }
}
