package dev.outbox.test;

import static org.awaitility.Awaitility.await;

import dev.outbox.Dispatcher;
import dev.outbox.DispatcherMetrics;
import java.time.Duration;

/** Waiting in a test until a running dispatcher has published what is due. */
public final class Deliveries {

  /** How long {@link #deliverAll(Dispatcher)} waits. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Deliveries() {}

  /** {@link #deliverAll(Dispatcher, Duration)} with {@link #DEFAULT_TIMEOUT}. */
  public static void deliverAll(Dispatcher dispatcher) {
    deliverAll(dispatcher, DEFAULT_TIMEOUT);
  }

  /**
   * Wakes the dispatcher instead of waiting for its poll interval and returns once no committed
   * event is waiting for its first publish or in flight. Events waiting for a retry are left to
   * their backoff (move a {@link TestClock} past it and call this again).
   *
   * @throws org.awaitility.core.ConditionTimeoutException when that takes longer than {@code
   *     timeout}
   */
  public static void deliverAll(Dispatcher dispatcher, Duration timeout) {
    if (!dispatcher.isRunning()) {
      throw new IllegalStateException("deliverAll needs a started dispatcher");
    }
    await("everything due to be published by the outbox dispatcher")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              dispatcher.wakeUp();
              DispatcherMetrics metrics = dispatcher.metrics();
              return metrics.pending() == 0 && metrics.processing() == 0;
            });
  }
}
