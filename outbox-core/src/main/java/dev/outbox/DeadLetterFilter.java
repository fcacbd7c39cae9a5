package dev.outbox;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which dead letters an operator means, as every surface receives it: text. The actuator endpoint,
 * the console and the command line all read their filters through this one class, so they take the
 * same names ({@code eventType}, {@code aggregateType}, {@code aggregateId}, {@code from}, {@code
 * to}, {@code error}), the same rules (a blank field is no filter; an aggregate id needs its type;
 * times are ISO-8601 instants) and answer with the same messages. A bulk replay or purge of every
 * dead letter must say so ({@link #forBulk}).
 */
public final class DeadLetterFilter {

  /** No filter: every dead letter. */
  public static final DeadLetterFilter NONE = builder().build();

  private final @Nullable String eventType;
  private final @Nullable String aggregateType;
  private final @Nullable String aggregateId;
  private final @Nullable Instant from;
  private final @Nullable Instant to;
  private final @Nullable String error;
  // Set by forBulk(true): no filter, and every dead letter meant.
  private final boolean everyDeadLetter;

  private DeadLetterFilter(Builder b) {
    this(b, false);
  }

  private DeadLetterFilter(Builder b, boolean everyDeadLetter) {
    this.eventType = b.eventType;
    this.aggregateType = b.aggregateType;
    this.aggregateId = b.aggregateId;
    this.from = b.from;
    this.to = b.to;
    this.error = b.error;
    this.everyDeadLetter = everyDeadLetter;
  }

  /** {@return a builder of a filter that matches every dead letter until a field is set} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return whether no filter is given: the filter selects every dead letter} */
  public boolean isEmpty() {
    return describe().equals("everything");
  }

  /**
   * This filter for a replay or purge of every match: refused without a filter unless {@code all}
   * says every dead letter is meant, so that a forgotten filter empties nothing.
   *
   * @param allName how the surface spells "all", for the message ({@code all=true}, {@code --all})
   * @return a filter {@link DeadLetters#select(DeadLetterChange.Action, DeadLetterFilter)} takes
   * @param all whether the operator asked for every dead letter
   * @throws IllegalArgumentException if the filter is empty and {@code all} is false
   */
  public DeadLetterFilter forBulk(boolean all, String allName) {
    if (isEmpty() && !all) {
      throw new IllegalArgumentException(
          "replaying or purging every dead letter needs "
              + allName
              + "; or filter by eventType, aggregateType, aggregateId, from, to or error");
    }
    if (!isEmpty() && all) {
      throw new IllegalArgumentException(
          allName + " selects every dead letter: give filters or " + allName + ", not both");
    }
    return all ? new DeadLetterFilter(new Builder(), true) : this;
  }

  /** Whether a bulk change may act on what it selects: it has a filter, or means every one. */
  boolean selectsForBulk() {
    return everyDeadLetter || !isEmpty();
  }

  /** {@return a query with these filters, to page through with {@link DeadLetters}} */
  public DeadLetterQuery.Builder query() {
    DeadLetterQuery.Builder query = DeadLetterQuery.builder();
    if (eventType != null) {
      query.eventType(eventType);
    }
    if (aggregateType != null && aggregateId != null) {
      query.aggregate(aggregateType, aggregateId);
    } else if (aggregateType != null) {
      query.aggregateType(aggregateType);
    }
    if (error != null) {
      query.errorContains(error);
    }
    return query.deadLetteredBetween(from, to);
  }

  /**
   * {@return the filters given, as {@code name=value, …}, or {@code everything}: for logs and
   * audits}
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    add(parts, "eventType", eventType);
    add(parts, "aggregateType", aggregateType);
    add(parts, "aggregateId", aggregateId);
    add(parts, "from", from);
    add(parts, "to", to);
    add(parts, "error", error);
    return parts.isEmpty() ? "everything" : String.join(", ", parts);
  }

  @Override
  public String toString() {
    return "DeadLetterFilter[" + describe() + "]";
  }

  private static void add(List<String> parts, String name, @Nullable Object value) {
    if (value != null) {
      parts.add(name + "=" + value);
    }
  }

  /** Builds a filter from text; each setter takes {@code null} or blank as "not given". */
  public static final class Builder {

    private @Nullable String eventType;
    private @Nullable String aggregateType;
    private @Nullable String aggregateId;
    private @Nullable Instant from;
    private @Nullable Instant to;
    private @Nullable String error;

    private Builder() {}

    /**
     * Of this event type only.
     *
     * @param eventType the event type, or {@code null} or blank for any
     * @return this builder
     */
    public Builder eventType(@Nullable String eventType) {
      this.eventType = given(eventType);
      return this;
    }

    /**
     * Of aggregates of this type only.
     *
     * @param aggregateType the aggregate type, or {@code null} or blank for any
     * @return this builder
     */
    public Builder aggregateType(@Nullable String aggregateType) {
      this.aggregateType = given(aggregateType);
      return this;
    }

    /**
     * Needs {@link #aggregateType}: an aggregate is its type and its id.
     *
     * @param aggregateId the aggregate id, or {@code null} or blank for any
     * @return this builder
     */
    public Builder aggregateId(@Nullable String aggregateId) {
      this.aggregateId = given(aggregateId);
      return this;
    }

    /**
     * Dead-lettered at or after this ISO-8601 instant, e.g. {@code 2026-12-01T09:00:00Z}.
     *
     * @param from the instant as ISO-8601 text, or {@code null} or blank for no bound
     * @return this builder
     */
    public Builder from(@Nullable String from) {
      this.from = instant("from", from);
      return this;
    }

    /**
     * Dead-lettered before this ISO-8601 instant.
     *
     * @param to the instant as ISO-8601 text, or {@code null} or blank for no bound
     * @return this builder
     */
    public Builder to(@Nullable String to) {
      this.to = instant("to", to);
      return this;
    }

    /**
     * The last error contains this text, ignoring case.
     *
     * @param error the text, or {@code null} or blank for any error
     * @return this builder
     */
    public Builder error(@Nullable String error) {
      this.error = given(error);
      return this;
    }

    /**
     * The filter; an {@link IllegalArgumentException} naming the field when one is wrong or missing
     * its partner.
     *
     * @return the filter
     */
    public DeadLetterFilter build() {
      if (aggregateId != null && aggregateType == null) {
        throw new IllegalArgumentException(
            "aggregateId needs aggregateType: an aggregate is its type and its id");
      }
      DeadLetterFilter filter = new DeadLetterFilter(this);
      // The query's own checks (from before to), made now rather than when it is first used.
      var unused = filter.query();
      return filter;
    }

    private static @Nullable String given(@Nullable String value) {
      return value == null || value.isBlank() ? null : value.strip();
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
            name
                + " must be an ISO-8601 instant such as 2026-12-01T09:00:00Z, was '"
                + given
                + "'");
      }
    }
  }
}
