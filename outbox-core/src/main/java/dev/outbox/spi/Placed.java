package dev.outbox.spi;

import java.util.Optional;

/**
 * A publish whose broker said where it put the event: a stage returned by {@link Publisher#publish}
 * may implement it, as it may implement {@link Withdrawable}, so that wrappers (tracing, logging)
 * can tell the partition and offset without knowing the publisher.
 */
public interface Placed {

  /** Where the event was put, once the stage completed normally; empty before, or if not told. */
  Optional<Placement> placement();

  /** A partition of the destination and the event's offset in it. */
  record Placement(int partition, long offset) {}
}
