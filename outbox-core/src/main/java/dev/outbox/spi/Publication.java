package dev.outbox.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One publish as {@link Publisher#publish} returns it: its acknowledgement, and what else the
 * publisher can do with it, said explicitly rather than by the class of a future.
 *
 * <ul>
 *   <li>{@link #acknowledgement()} completes normally once the broker has durably accepted the
 *       event, and exceptionally when it was not delivered: with a {@link PublishException} that
 *       says whether a retry can help, or with any other exception, which counts as retriable.
 *   <li>{@link #withdraw()} takes the publish back while the publisher still holds it queued, so
 *       the event goes back without an attempt counted. Only a publisher that queues events before
 *       handing them to its broker's client can: see {@link #withdrawable}.
 *   <li>{@link #placement()} tells where the broker put the event, once acknowledged, for
 *       publishers whose broker says so: see {@link #placedBy}.
 * </ul>
 *
 * <p>A publisher that wraps another (metrics, tracing, faults) derives its publication from the
 * wrapped one with {@link #mapAcknowledgement} or {@link #whenComplete}, which keep the withdrawal
 * and the placement: a wrapper that chains to the acknowledgement cannot lose them by accident, as
 * it could when they were found on the future itself.
 *
 * <p>Immutable; thread-safe when the functions it was made with are.
 */
public final class Publication {

  private final CompletionStage<Void> acknowledgement;
  private final BooleanSupplier withdrawal;
  private final Supplier<Optional<Placement>> placement;

  private Publication(
      CompletionStage<Void> acknowledgement,
      BooleanSupplier withdrawal,
      Supplier<Optional<Placement>> placement) {
    this.acknowledgement = Objects.requireNonNull(acknowledgement, "acknowledgement");
    this.withdrawal = Objects.requireNonNull(withdrawal, "withdrawal");
    this.placement = Objects.requireNonNull(placement, "placement");
  }

  /**
   * A publish acknowledged through {@code acknowledgement}, which can be neither withdrawn nor
   * placed: what a publisher returns that hands each event to its broker's client at once.
   *
   * @param acknowledgement completes with the publish's outcome
   * @return the publication
   */
  public static Publication of(CompletionStage<Void> acknowledgement) {
    return new Publication(acknowledgement, Publication::notWithdrawable, Optional::empty);
  }

  /**
   * {@return a publish the broker has already acknowledged, for a publisher that sends
   * synchronously}
   */
  public static Publication acknowledged() {
    return of(CompletableFuture.completedFuture(null));
  }

  /**
   * A publish that has already failed with {@code error}: a {@link PublishException} says whether a
   * retry can help, any other exception counts as retriable.
   *
   * @param error the failure
   * @return the publication
   */
  public static Publication failed(Throwable error) {
    return of(CompletableFuture.failedFuture(Objects.requireNonNull(error, "error")));
  }

  /**
   * A publish still queued in the publisher, which {@code withdrawal} can take back.
   *
   * <p>{@code withdrawal} answers {@code true} only when the event has not reached the broker's
   * client and never will; it then completes {@code acknowledgement} exceptionally (with a {@link
   * java.util.concurrent.CancellationException}), since nothing else will. It answers {@code false}
   * once the event was handed over or the acknowledgement completed: the broker may have the event,
   * so its outcome must be awaited. A plain future's {@code cancel} is no withdrawal, as the send
   * it stands for may already be with the broker.
   *
   * @param acknowledgement completes with the publish's outcome
   * @param withdrawal takes the publish back if it can; called from the dispatcher's thread
   * @return the publication
   */
  public static Publication withdrawable(
      CompletionStage<Void> acknowledgement, BooleanSupplier withdrawal) {
    return new Publication(acknowledgement, withdrawal, Optional::empty);
  }

  /**
   * This publication telling where the broker put the event, as {@code placement} says: empty until
   * the acknowledgement completes normally, and empty if the broker did not say. It must be known
   * by the time the acknowledgement completes, as wrappers read it then.
   *
   * @param placement tells the placement once known
   * @return a new publication; this one is unchanged
   */
  public Publication placedBy(Supplier<Optional<Placement>> placement) {
    return new Publication(acknowledgement, withdrawal, placement);
  }

  /**
   * Completes normally once the broker has durably accepted the event; exceptionally when it was
   * not delivered, with a {@link PublishException} that says whether a retry can help or with any
   * other exception, which counts as retriable.
   *
   * @return the stage completing with the outcome
   */
  public CompletionStage<Void> acknowledgement() {
    return acknowledgement;
  }

  /**
   * Takes the publish back if the publisher has not handed it to its broker's client yet. The
   * dispatcher calls it on the publishes still unanswered when no round of publishes may start any
   * more (one handed over after that could outlast the lease).
   *
   * @return {@code true} when the event never reached the broker and never will, so it goes back to
   *     waiting without an attempt counted; {@code false} (always, for a publication that is not
   *     {@linkplain #withdrawable withdrawable}) leaves its outcome to the acknowledgement, or, if
   *     none comes in time, to the lease: the event is then taken back with the attempt counted,
   *     and may be published twice
   */
  public boolean withdraw() {
    return withdrawal.getAsBoolean();
  }

  /**
   * Where the broker put the event: empty before the acknowledgement completed normally, and for
   * publishers that are not told or do not {@linkplain #placedBy say}.
   *
   * @return the placement, or empty
   */
  public Optional<Placement> placement() {
    return placement.get();
  }

  /**
   * The publication of a wrapper: acknowledged by what {@code derive} makes of this one's
   * acknowledgement, withdrawn and placed as this one. {@code derive} may chain to the stage
   * ({@code thenApply}, {@code whenComplete}), delay it, or replace an outcome (injecting a fault);
   * the stage it returns must complete once this one has, or the dispatcher waits for it in vain.
   *
   * @param derive makes the wrapper's acknowledgement from this one's; must not return null
   * @return the wrapper's publication
   */
  public Publication mapAcknowledgement(
      Function<? super CompletionStage<Void>, ? extends CompletionStage<Void>> derive) {
    return new Publication(
        Objects.requireNonNull(derive.apply(acknowledgement), "derived acknowledgement"),
        withdrawal,
        placement);
  }

  /**
   * The publication of a wrapper that observes the outcome: {@code action} gets the placement
   * (empty when the publish failed or the broker did not say) and the failure ({@code null} when
   * acknowledged) once this one completes, and the derived acknowledgement completes after it, with
   * the same outcome. An exception thrown by {@code action} fails an acknowledged publish, as with
   * {@link CompletionStage#whenComplete}. Withdrawn and placed as this one.
   *
   * @param action called once with the placement and the failure
   * @return the wrapper's publication
   */
  public Publication whenComplete(BiConsumer<Optional<Placement>, @Nullable Throwable> action) {
    Objects.requireNonNull(action, "action");
    return mapAcknowledgement(
        stage ->
            stage.whenComplete(
                (ignored, error) ->
                    action.accept(error == null ? placement() : Optional.empty(), error)));
  }

  private static boolean notWithdrawable() {
    return false;
  }

  /**
   * A partition of the destination and the event's offset in it, as the broker assigned them.
   *
   * @param partition the partition the event was put in
   * @param offset the event's offset in that partition
   */
  public record Placement(int partition, long offset) {}
}
