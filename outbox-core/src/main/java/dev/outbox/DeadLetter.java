package dev.outbox;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An event that failed for good, as kept in the dead-letter table. A class rather than a record, so
 * that it can gain fields without breaking the code that reads it; {@link #builder()} makes one for
 * a test of such code.
 */
public final class DeadLetter {
  private final long id;
  private final long originalId;
  private final String eventId;
  private final String eventType;
  private final String aggregateType;
  private final String aggregateId;
  private final String topic;
  private final String payload;
  private final @Nullable String traceparent;
  private final Map<String, String> headers;
  private final int attempts;
  private final @Nullable String lastError;
  private final Instant createdAt;
  private final Instant deadLetteredAt;

  private DeadLetter(Builder b) {
    this.id = b.id;
    this.originalId = b.originalId;
    this.eventId = Objects.requireNonNull(b.eventId, "eventId");
    this.eventType = Objects.requireNonNull(b.eventType, "eventType");
    this.aggregateType = Objects.requireNonNull(b.aggregateType, "aggregateType");
    this.aggregateId = Objects.requireNonNull(b.aggregateId, "aggregateId");
    this.topic = Objects.requireNonNull(b.topic, "topic");
    this.payload = Objects.requireNonNull(b.payload, "payload");
    this.traceparent = b.traceparent;
    this.headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.attempts = b.attempts;
    this.lastError = b.lastError;
    this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt");
    this.deadLetteredAt = Objects.requireNonNull(b.deadLetteredAt, "deadLetteredAt");
  }

  /**
   * {@return a builder of a dead letter: for tests of code that reads them; the outbox makes its
   * own}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the dead letter's row id, for paging} */
  public long id() {
    return id;
  }

  /** {@return the event's row id in the outbox, its place in its aggregate's order} */
  public long originalId() {
    return originalId;
  }

  /** {@return the event's id} */
  public String eventId() {
    return eventId;
  }

  /** {@return the event's type} */
  public String eventType() {
    return eventType;
  }

  /** {@return its aggregate's type} */
  public String aggregateType() {
    return aggregateType;
  }

  /** {@return its aggregate's id} */
  public String aggregateId() {
    return aggregateId;
  }

  /** {@return the topic it was to be published to} */
  public String topic() {
    return topic;
  }

  /** {@return its JSON payload, as saved} */
  public String payload() {
    return payload;
  }

  /** {@return its W3C trace context, or {@code null}} */
  public @Nullable String traceparent() {
    return traceparent;
  }

  /** {@return its free headers, in the order given} */
  public Map<String, String> headers() {
    return headers;
  }

  /** {@return the publish attempts made before it became a dead letter} */
  public int attempts() {
    return attempts;
  }

  /** {@return the error of the last attempt, or {@code null}} */
  public @Nullable String lastError() {
    return lastError;
  }

  /** {@return when the event was written} */
  public Instant createdAt() {
    return createdAt;
  }

  /** {@return when it was moved here; retention counts from this time} */
  public Instant deadLetteredAt() {
    return deadLetteredAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d
        && id == d.id
        && originalId == d.originalId
        && eventId.equals(d.eventId)
        && eventType.equals(d.eventType)
        && aggregateType.equals(d.aggregateType)
        && aggregateId.equals(d.aggregateId)
        && topic.equals(d.topic)
        && payload.equals(d.payload)
        && Objects.equals(traceparent, d.traceparent)
        && headers.equals(d.headers)
        && attempts == d.attempts
        && Objects.equals(lastError, d.lastError)
        && createdAt.equals(d.createdAt)
        && deadLetteredAt.equals(d.deadLetteredAt);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "DeadLetter[id="
        + id
        + ", eventId="
        + eventId
        + ", aggregate="
        + aggregateType
        + "/"
        + aggregateId
        + ", attempts="
        + attempts
        + "]";
  }

  /** Builds a {@link DeadLetter}; the texts and times not marked nullable are required. */
  public static final class Builder {
    private long id;
    private long originalId;
    private @Nullable String eventId;
    private @Nullable String eventType;
    private @Nullable String aggregateType;
    private @Nullable String aggregateId;
    private @Nullable String topic;
    private @Nullable String payload;
    private @Nullable String traceparent;
    private Map<String, String> headers = Map.of();
    private int attempts;
    private @Nullable String lastError;
    private @Nullable Instant createdAt;
    private @Nullable Instant deadLetteredAt;

    private Builder() {}

    /**
     * See {@link DeadLetter#id()}.
     *
     * @param id the new value
     * @return this builder
     */
    public Builder id(long id) {
      this.id = id;
      return this;
    }

    /**
     * See {@link DeadLetter#originalId()}.
     *
     * @param originalId the new value
     * @return this builder
     */
    public Builder originalId(long originalId) {
      this.originalId = originalId;
      return this;
    }

    /**
     * See {@link DeadLetter#eventId()}.
     *
     * @param eventId the new value
     * @return this builder
     */
    public Builder eventId(String eventId) {
      this.eventId = eventId;
      return this;
    }

    /**
     * See {@link DeadLetter#eventType()}.
     *
     * @param eventType the new value
     * @return this builder
     */
    public Builder eventType(String eventType) {
      this.eventType = eventType;
      return this;
    }

    /**
     * See {@link DeadLetter#aggregateType()}.
     *
     * @param aggregateType the new value
     * @return this builder
     */
    public Builder aggregateType(String aggregateType) {
      this.aggregateType = aggregateType;
      return this;
    }

    /**
     * See {@link DeadLetter#aggregateId()}.
     *
     * @param aggregateId the new value
     * @return this builder
     */
    public Builder aggregateId(String aggregateId) {
      this.aggregateId = aggregateId;
      return this;
    }

    /**
     * See {@link DeadLetter#topic()}.
     *
     * @param topic the new value
     * @return this builder
     */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /**
     * See {@link DeadLetter#payload()}.
     *
     * @param payload the new value
     * @return this builder
     */
    public Builder payload(String payload) {
      this.payload = payload;
      return this;
    }

    /**
     * See {@link DeadLetter#traceparent()}.
     *
     * @param traceparent the new value
     * @return this builder
     */
    public Builder traceparent(@Nullable String traceparent) {
      this.traceparent = traceparent;
      return this;
    }

    /**
     * See {@link DeadLetter#headers()}.
     *
     * @param headers the new value
     * @return this builder
     */
    public Builder headers(Map<String, String> headers) {
      this.headers = headers;
      return this;
    }

    /**
     * See {@link DeadLetter#attempts()}.
     *
     * @param attempts the new value
     * @return this builder
     */
    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    /**
     * See {@link DeadLetter#lastError()}.
     *
     * @param lastError the new value
     * @return this builder
     */
    public Builder lastError(@Nullable String lastError) {
      this.lastError = lastError;
      return this;
    }

    /**
     * See {@link DeadLetter#createdAt()}.
     *
     * @param createdAt the new value
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    /**
     * See {@link DeadLetter#deadLetteredAt()}.
     *
     * @param deadLetteredAt the new value
     * @return this builder
     */
    public Builder deadLetteredAt(Instant deadLetteredAt) {
      this.deadLetteredAt = deadLetteredAt;
      return this;
    }

    /**
     * {@return the dead letter}
     *
     * @throws NullPointerException if a required field was not set
     */
    public DeadLetter build() {
      return new DeadLetter(this);
    }
  }
}
