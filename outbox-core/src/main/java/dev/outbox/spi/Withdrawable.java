package dev.outbox.spi;

/**
 * A publish that can still be taken back: a stage returned by {@link Publisher#publish} may
 * implement it when the publisher queues events before handing them to the broker's client.
 *
 * <p>When no round of publishes may start any more (three quarters of the lease from the claim,
 * less the publisher's longest publish), the dispatcher calls {@link #withdraw()} on the publishes
 * still unanswered: one handed to the broker's client after that could outlast the lease. {@code
 * true} means the event never reached the broker and never will: it goes back to waiting without an
 * attempt counted. Any other stage, or {@code false}, leaves the outcome unknown; the event is then
 * taken back when its lease expires, with the attempt counted, and may be published twice. A plain
 * future's {@code cancel} is no withdrawal: the send it stands for may already be with the broker.
 */
public interface Withdrawable {

  /**
   * Takes the publish back if the broker's client has not got it yet, completing the stage with a
   * {@link java.util.concurrent.CancellationException}.
   *
   * @return whether it was taken back; {@code false} once handed over or completed
   */
  boolean withdraw();
}
