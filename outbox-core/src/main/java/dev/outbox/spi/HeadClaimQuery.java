package dev.outbox.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a claim of aggregate heads asks for ({@link Dialect#claimHeads}): due events up to a bound,
 * each the oldest unsent of its aggregate, at most a limit of them. Named settings rather than a
 * row of booleans, and room for more without breaking dialects.
 */
public final class HeadClaimQuery {

  private final Instant dueBound;
  private final @Nullable Long lastIdAtBound;
  private final boolean holdAfterDeadLetter;
  private final List<Long> windowIds;
  private final boolean inDueOrder;
  private final int limit;

  private HeadClaimQuery(Builder b) {
    this.dueBound = Objects.requireNonNull(b.dueBound, "dueBound");
    this.lastIdAtBound = b.lastIdAtBound;
    this.holdAfterDeadLetter = b.holdAfterDeadLetter;
    this.windowIds = List.copyOf(b.windowIds);
    this.inDueOrder = b.inDueOrder;
    if (b.limit < 1) {
      throw new IllegalArgumentException("limit must be 1 or more, was " + b.limit);
    }
    this.limit = b.limit;
  }

  /**
   * Heads due at or before {@code dueBound}, at most {@code limit} of them.
   *
   * @param dueBound the latest due time a head may have
   * @param limit the most heads to claim, 1 or more; {@link Builder#build()} rejects less
   * @return a builder to set the other settings on
   */
  public static Builder dueBy(Instant dueBound, int limit) {
    return new Builder(dueBound, limit);
  }

  /** {@return events due at or before this time are candidates} */
  public Instant dueBound() {
    return dueBound;
  }

  /**
   * The last id due exactly at {@link #dueBound()} that may be claimed, where a window ended there;
   * {@code null} for all of them.
   *
   * @return the id, or {@code null}
   */
  public @Nullable Long lastIdAtBound() {
    return lastIdAtBound;
  }

  /**
   * Whether an aggregate with a dead letter (or an event that failed for good, not yet moved) is
   * held behind it: no later event of it is a head.
   *
   * @return {@code true} under {@code HOLD_AGGREGATE}
   */
  public boolean holdAfterDeadLetter() {
    return holdAfterDeadLetter;
  }

  /**
   * {@return the ids to look among, from a window read before; empty to look at every due event}
   */
  public List<Long> windowIds() {
    return windowIds;
  }

  /** {@return whether to walk the due index in due order and stop at the limit} */
  public boolean inDueOrder() {
    return inDueOrder;
  }

  /** {@return the most heads to claim, 1 or more} */
  public int limit() {
    return limit;
  }

  @Override
  public String toString() {
    return "HeadClaimQuery[dueBound="
        + dueBound
        + ", lastIdAtBound="
        + lastIdAtBound
        + ", holdAfterDeadLetter="
        + holdAfterDeadLetter
        + ", windowIds="
        + windowIds.size()
        + ", inDueOrder="
        + inDueOrder
        + ", limit="
        + limit
        + "]";
  }

  /** Builds a {@link HeadClaimQuery}; by default it holds nothing, looks at every due event. */
  public static final class Builder {
    private final Instant dueBound;
    private final int limit;
    private @Nullable Long lastIdAtBound;
    private boolean holdAfterDeadLetter;
    private List<Long> windowIds = List.of();
    private boolean inDueOrder;

    private Builder(Instant dueBound, int limit) {
      this.dueBound = dueBound;
      this.limit = limit;
    }

    /**
     * See {@link HeadClaimQuery#lastIdAtBound()}.
     *
     * @param lastIdAtBound the last id due exactly at the bound, or {@code null} for all of them
     * @return this builder
     */
    public Builder lastIdAtBound(@Nullable Long lastIdAtBound) {
      this.lastIdAtBound = lastIdAtBound;
      return this;
    }

    /**
     * See {@link HeadClaimQuery#holdAfterDeadLetter()}.
     *
     * @param holdAfterDeadLetter whether a dead letter holds its aggregate's later events
     * @return this builder
     */
    public Builder holdAfterDeadLetter(boolean holdAfterDeadLetter) {
      this.holdAfterDeadLetter = holdAfterDeadLetter;
      return this;
    }

    /**
     * See {@link HeadClaimQuery#windowIds()}.
     *
     * @param windowIds the ids to look among; copied by {@link #build()}
     * @return this builder
     */
    public Builder among(List<Long> windowIds) {
      this.windowIds = windowIds;
      return this;
    }

    /**
     * See {@link HeadClaimQuery#inDueOrder()}.
     *
     * @param inDueOrder whether to walk the due index in order
     * @return this builder
     */
    public Builder inDueOrder(boolean inDueOrder) {
      this.inDueOrder = inDueOrder;
      return this;
    }

    /**
     * {@return the query}
     *
     * @throws IllegalArgumentException if the limit is less than 1
     */
    public HeadClaimQuery build() {
      return new HeadClaimQuery(this);
    }
  }
}
