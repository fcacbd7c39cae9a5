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
  PAUSE_DISPATCHER(DispatcherMain.LEASE.plusSeconds(2)),
  /** The Kafka broker shut down for longer than the producers' delivery timeout, then restarted. */
  STOP_BROKER(DispatcherMain.DELIVERY_TIMEOUT.plusSeconds(3));

  /** The longest fault; faults on a schedule must start further apart than this. */
  static final Duration LONGEST =
      Arrays.stream(values()).map(FaultKind::length).max(Duration::compareTo).orElseThrow();

  /**
   * How long after a fault ends its effects may still show: an event published just before the
   * fault is published again once its lease has expired and the stuck-event check has run.
   */
  static final Duration AFTERMATH =
      DispatcherMain.LEASE.plus(DispatcherMain.STUCK_CHECK_INTERVAL).plusSeconds(5);

  private final Duration length;

  FaultKind(Duration length) {
    this.length = length;
  }

  Duration length() {
    return length;
  }
}
