package dev.outbox.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The longest a publish can take, and the publisher settings that make it so, for error messages
 * that tell the user which settings to change.
 *
 * @param limit the longest time from handing an event to the broker's client to its outcome
 * @param settings the settings it derives from, e.g. {@code "max.block.ms (5000) +
 *     delivery.timeout.ms (120000)"}
 */
public record PublishTimeLimit(Duration limit, String settings) {

  /**
   * Checks the values.
   *
   * @param limit the longest time a publish takes; more than zero
   * @param settings the settings it derives from; not null
   * @throws IllegalArgumentException if {@code limit} is zero or negative
   */
  public PublishTimeLimit {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(settings, "settings");
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
  }
}
