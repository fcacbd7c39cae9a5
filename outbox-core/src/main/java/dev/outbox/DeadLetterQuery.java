package dev.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Selects dead letters by event id, type, aggregate, time and error text, a page at a time. Pages
 * are keyset-based: pass the last {@link DeadLetter#id()} of a page as {@link Builder#afterId} to
 * get the next.
 */
public final class DeadLetterQuery {

  /** Page size unless {@link Builder#limit} is set. */
  public static final int DEFAULT_LIMIT = 100;

  /** Largest page size accepted. */
  public static final int MAX_LIMIT = 10_000;

  private final @Nullable String eventId;
  private final @Nullable String eventType;
  private final @Nullable String errorContains;
  private final @Nullable String aggregateType;
  private final @Nullable String aggregateId;
  private final @Nullable Instant from;
  private final @Nullable Instant to;
  private final long afterId;
  private final int limit;

  private DeadLetterQuery(Builder b) {
    this.eventId = b.eventId;
    this.eventType = b.eventType;
    this.errorContains = b.errorContains;
    this.aggregateType = b.aggregateType;
    this.aggregateId = b.aggregateId;
    this.from = b.from;
    this.to = b.to;
    this.afterId = b.afterId;
    this.limit = b.limit;
  }

  /** {@return every dead letter, first page} */
  public static DeadLetterQuery all() {
    return builder().build();
  }

  /** {@return a builder of a query that matches every dead letter, first page} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the event id to match, or {@code null} for any} */
  public @Nullable String eventId() {
    return eventId;
  }

  /** {@return the event type to match, or {@code null} for any} */
  public @Nullable String eventType() {
    return eventType;
  }

  /** {@return text the last error contains, ignoring case; {@code null} for any error} */
  public @Nullable String errorContains() {
    return errorContains;
  }

  /** {@return the aggregate type to match, or {@code null} for any} */
  public @Nullable String aggregateType() {
    return aggregateType;
  }

  /** {@return the aggregate id to match, or {@code null} for any} */
  public @Nullable String aggregateId() {
    return aggregateId;
  }

  /** {@return the earliest dead-lettering time matched, inclusive, or {@code null} for no bound} */
  public @Nullable Instant from() {
    return from;
  }

  /** {@return the dead-lettering time matched up to, exclusive, or {@code null} for no bound} */
  public @Nullable Instant to() {
    return to;
  }

  /** {@return the dead-letter id the page starts after; 0 for the first page} */
  public long afterId() {
    return afterId;
  }

  /** {@return the page size, 1 to {@value #MAX_LIMIT}} */
  public int limit() {
    return limit;
  }

  /**
   * Same filters, the page after the dead letter with this id.
   *
   * @param id the last {@link DeadLetter#id()} of the current page
   * @return the query of the next page
   */
  public DeadLetterQuery after(long id) {
    Builder b = builder();
    b.eventId = eventId;
    b.eventType = eventType;
    b.errorContains = errorContains;
    b.aggregateType = aggregateType;
    b.aggregateId = aggregateId;
    b.from = from;
    b.to = to;
    b.limit = limit;
    return b.afterId(id).build();
  }

  /** Its filters, as {@code eventType=…, aggregateType=…}, or {@code everything}. */
  @Override
  public String toString() {
    StringJoiner filters = new StringJoiner(", ");
    filters.setEmptyValue("everything");
    add(filters, "eventId", eventId);
    add(filters, "eventType", eventType);
    add(filters, "aggregateType", aggregateType);
    add(filters, "aggregateId", aggregateId);
    add(filters, "from", from);
    add(filters, "to", to);
    add(filters, "error", errorContains);
    if (afterId > 0) {
      filters.add("afterId=" + afterId);
    }
    return filters.toString();
  }

  private static void add(StringJoiner filters, String name, @Nullable Object value) {
    if (value != null) {
      filters.add(name + "=" + value);
    }
  }

  /** Builds a {@link DeadLetterQuery}; every filter is optional. */
  public static final class Builder {
    private @Nullable String eventId;
    private @Nullable String eventType;
    private @Nullable String errorContains;
    private @Nullable String aggregateType;
    private @Nullable String aggregateId;
    private @Nullable Instant from;
    private @Nullable Instant to;
    private long afterId;
    private int limit = DEFAULT_LIMIT;

    private Builder() {}

    /**
     * Only the dead letter with this event id.
     *
     * @param eventId the event id
     * @return this builder
     */
    public Builder eventId(String eventId) {
      this.eventId = Objects.requireNonNull(eventId, "eventId");
      return this;
    }

    /**
     * Dead letters whose last error contains this text, ignoring case.
     *
     * @param text the text; not empty
     * @return this builder
     * @throws IllegalArgumentException if the text is empty
     */
    public Builder errorContains(String text) {
      Objects.requireNonNull(text, "text");
      if (text.isEmpty()) {
        throw new IllegalArgumentException("errorContains must not be empty");
      }
      this.errorContains = text;
      return this;
    }

    /**
     * Only dead letters of this event type.
     *
     * @param eventType the event type
     * @return this builder
     */
    public Builder eventType(String eventType) {
      this.eventType = Objects.requireNonNull(eventType, "eventType");
      return this;
    }

    /**
     * Only dead letters of this aggregate.
     *
     * @param aggregateType the aggregate's type
     * @param aggregateId the aggregate's id
     * @return this builder
     */
    public Builder aggregate(String aggregateType, String aggregateId) {
      this.aggregateType = Objects.requireNonNull(aggregateType, "aggregateType");
      this.aggregateId = Objects.requireNonNull(aggregateId, "aggregateId");
      return this;
    }

    /**
     * Only dead letters of aggregates of this type.
     *
     * @param aggregateType the aggregate type
     * @return this builder
     */
    public Builder aggregateType(String aggregateType) {
      this.aggregateType = Objects.requireNonNull(aggregateType, "aggregateType");
      return this;
    }

    /**
     * Only dead letters made in this time range.
     *
     * @param from the earliest time, inclusive, or {@code null} for no lower bound
     * @param to the latest time, exclusive, or {@code null} for no upper bound
     * @return this builder
     * @throws IllegalArgumentException if {@code from} is not before {@code to}
     */
    public Builder deadLetteredBetween(@Nullable Instant from, @Nullable Instant to) {
      if (from != null && to != null && !from.isBefore(to)) {
        throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
      }
      this.from = from;
      this.to = to;
      return this;
    }

    /**
     * The page after the dead letter with this id; 0 (the default) for the first page.
     *
     * @param afterId the last {@link DeadLetter#id()} of the previous page, 0 or more
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder afterId(long afterId) {
      if (afterId < 0) {
        throw new IllegalArgumentException("afterId must be >= 0, was " + afterId);
      }
      this.afterId = afterId;
      return this;
    }

    /**
     * The page size; default {@value DeadLetterQuery#DEFAULT_LIMIT}.
     *
     * @param limit 1 to {@value DeadLetterQuery#MAX_LIMIT}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder limit(int limit) {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException(
            "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /** {@return the query} */
    public DeadLetterQuery build() {
      return new DeadLetterQuery(this);
    }
  }
}
