package dev.outbox.checker;

import java.time.Duration;
import java.util.Arrays;

/**
 * The faults the checker injects. The durations are chosen against the dispatchers' settings in
 * {@link DispatcherMain}: an outage outlasts the producer's delivery timeout, a pause outlasts the
 * lease.
 */
enum FaultKind {
  /** {@code kill -9} of a dispatcher process, restarted at once under the same instance id. */
  KILL_DISPATCHER(Duration.ZERO),
  /** Every database connection of the checker's database killed from the server side. */
  KILL_CONNECTIONS(Duration.ZERO),
  /** A dispatcher process suspended (SIGSTOP) for longer than its lease, then resumed. */
  PAUSE_DISPATCHER(DispatcherMain.LEASE.plusSeconds(1)),
  /** The Kafka broker shut down for longer than the producers' delivery timeout, then restarted. */
  STOP_BROKER(DispatcherMain.DELIVERY_TIMEOUT.plusSeconds(3));

  /** The longest fault; faults on a schedule must start further apart than this. */
  static final Duration LONGEST =
      Arrays.stream(values()).map(FaultKind::length).max(Duration::compareTo).orElseThrow();

  /**
   * How far from a fault a publish can still be caught up in it: one that went out up to a lease
   * before it began (its outcome not yet written), or up to a lease after it ended (a resumed
   * dispatcher finishing the batch it held), plus the stuck-event check.
   */
  static final Duration REACH = DispatcherMain.LEASE.plus(DispatcherMain.STUCK_CHECK_INTERVAL);

  private final Duration length;

  FaultKind(Duration length) {
    this.length = length;
  }

  Duration length() {
    return length;
  }
}
