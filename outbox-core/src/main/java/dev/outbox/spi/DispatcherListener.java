package dev.outbox.spi;

import java.time.Duration;

/**
 * Told what a dispatcher does, for metrics (see {@code outbox-micrometer}) and the like. Added with
 * {@code DispatcherBuilder.listener} or {@code Dispatcher.addListener}.
 *
 * <p>Called on the dispatcher's own threads while it works: implementations must be quick and
 * thread-safe. An exception thrown by a listener is logged and otherwise ignored.
 *
 * <p>Only what was recorded is told: a publish whose outcome could not be written (its lease was
 * lost to another dispatcher) is that dispatcher's to tell.
 */
public interface DispatcherListener {

  /**
   * A claim found work.
   *
   * @param events how many events the claim leased
   * @param took how long the claim took, from its start to its commit
   */
  default void claimed(int events, Duration took) {}

  /**
   * The broker acknowledged {@code event}, and it is recorded as sent.
   *
   * <p>A replayed dead letter counts from its replay instead, whichever process replayed it: the
   * latency then says how long the replayed event took to go out, not how long it lay among the
   * dead letters, which would swamp every percentile of the events that are flowing. The replay's
   * time is kept in the row ({@code replayed_at}); the event keeps its {@code createdAt}, the time
   * it was written, which is what consumers see.
   *
   * @param latency from the event's {@code created_at}, stamped in the transaction that saved it,
   *     or from its last replay, to the acknowledgement: the commit-to-acknowledgement latency,
   *     give or take the length of that transaction. Each end is read on the clock of the process
   *     that stamped it, the database's by default, so that processes on different hosts agree
   * @param event the event, as it was published
   */
  default void published(EventRecord event, Duration latency) {}

  /**
   * A publish attempt of {@code event} failed, and its attempt was counted.
   *
   * @param error the failure as recorded in the row
   * @param deadLettered whether the event failed for good and becomes a dead letter, rather than
   *     being tried again
   * @param event the event, as it was published
   */
  default void failed(EventRecord event, String error, boolean deadLettered) {}

  /**
   * Events whose lease expired were taken back.
   *
   * @param events how many, in all
   * @param deadLettered how many of them had no attempt left and became dead letters
   */
  default void recoveredStuck(int events, int deadLettered) {}
}
