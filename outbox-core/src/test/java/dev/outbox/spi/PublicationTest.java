package dev.outbox.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.spi.Publication.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PublicationTest {

  private static final EventRecord EVENT =
      EventRecord.builder()
          .eventId("e-1")
          .eventType("T")
          .aggregateType("A")
          .aggregateId("a")
          .topic("topic")
          .payload("{}")
          .traceparent(null)
          .headers(Map.of())
          .createdAt(Instant.EPOCH)
          .attempt(1)
          .build();

  /** A publish queued in a publisher until taken for sending, placed once acknowledged. */
  private static final class QueuedPublish {
    final CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    final AtomicBoolean taken = new AtomicBoolean();
    volatile Optional<Placement> placement = Optional.empty();

    Publication publication() {
      return Publication.withdrawable(
              acknowledgement,
              () -> taken.compareAndSet(false, true) && acknowledgement.cancel(false))
          .placedBy(() -> placement);
    }

    void acknowledge(int partition, long offset) {
      placement = Optional.of(new Placement(partition, offset));
      acknowledgement.complete(null);
    }
  }

  @Test
  void aPlainPublicationCannotBeWithdrawnAndTellsNoPlacement() {
    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    Publication publication = Publication.of(acknowledgement);

    assertThat(publication.acknowledgement()).isSameAs(acknowledgement);
    assertThat(publication.withdraw()).isFalse();
    assertThat(acknowledgement).isNotDone();
    acknowledgement.complete(null);
    assertThat(publication.placement()).isEmpty();
  }

  @Test
  void acknowledgedAndFailedAreCompletedAlready() {
    PublishException error = PublishException.permanent("too large", new IllegalStateException());

    assertThat(Publication.acknowledged().acknowledgement().toCompletableFuture())
        .isCompletedWithValue(null);
    assertThat(Publication.failed(error).acknowledgement().toCompletableFuture())
        .isCompletedExceptionally()
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCause(error);
    assertThat(Publication.acknowledged().withdraw()).isFalse();
    assertThat(Publication.failed(error).placement()).isEmpty();
  }

  @Test
  void aWithdrawablePublicationIsTakenBackOnceAndOnlyWhileQueued() {
    QueuedPublish queued = new QueuedPublish();
    Publication publication = queued.publication();

    assertThat(publication.withdraw()).isTrue();
    assertThat(publication.withdraw()).isFalse();
    assertThat(queued.acknowledgement).isCancelled();

    QueuedPublish sent = new QueuedPublish();
    sent.taken.set(true);
    assertThat(sent.publication().withdraw()).isFalse();
    assertThat(sent.acknowledgement).isNotDone();
  }

  @Test
  void aPlacedPublicationTellsWhereOnceAcknowledged() {
    QueuedPublish queued = new QueuedPublish();
    Publication publication = queued.publication();

    assertThat(publication.placement()).isEmpty();
    queued.acknowledge(2, 41);

    assertThat(publication.placement()).contains(new Placement(2, 41));
  }

  @Test
  void aWrappersDerivedPublicationStillWithdrawsTheWrappedOne() {
    QueuedPublish queued = new QueuedPublish();
    Publication derived =
        queued.publication().mapAcknowledgement(stage -> stage.thenApply(done -> done));

    assertThat(derived.withdraw()).isTrue();

    assertThat(queued.acknowledgement).isCancelled();
    assertThat(derived.acknowledgement().toCompletableFuture())
        .isCompletedExceptionally()
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(CancellationException.class);
  }

  @Test
  void aWrappersDerivedPublicationTellsThePlacementAndSeesItWhenAcknowledged() {
    QueuedPublish queued = new QueuedPublish();
    List<Object> seen = new ArrayList<>();
    Publication derived =
        queued
            .publication()
            .whenComplete(
                (placement, error) -> {
                  seen.add(placement);
                  seen.add(String.valueOf(error));
                })
            .mapAcknowledgement(stage -> stage.thenApply(done -> done));

    assertThat(derived.placement()).isEmpty();
    queued.acknowledge(3, 7);

    assertThat(derived.acknowledgement().toCompletableFuture()).isCompletedWithValue(null);
    assertThat(derived.placement()).contains(new Placement(3, 7));
    assertThat(seen).containsExactly(Optional.of(new Placement(3, 7)), "null");
  }

  @Test
  void whenCompleteSeesTheFailureWithoutAPlacementAndPassesTheFailureOn() {
    QueuedPublish queued = new QueuedPublish();
    PublishException error = PublishException.retriable("broker down", new IllegalStateException());
    List<Object> seen = new ArrayList<>();
    Publication derived =
        queued
            .publication()
            .whenComplete(
                (placement, failure) -> {
                  seen.add(placement);
                  seen.add(String.valueOf(failure));
                });

    queued.acknowledgement.completeExceptionally(error);

    assertThat(seen).containsExactly(Optional.empty(), String.valueOf(error));
    assertThat(derived.acknowledgement().toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCause(error);
  }

  @Test
  void aDerivedAcknowledgementCompletesOnlyAfterTheWrappersAction() {
    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    CompletableFuture<Void> actionRan = new CompletableFuture<>();
    Publication derived =
        Publication.of(acknowledgement)
            .whenComplete(
                (placement, error) ->
                    assertThat(actionRan.complete(null)).as("the action runs once").isTrue());

    acknowledgement.complete(null);

    assertThat(actionRan).isDone();
    assertThat(derived.acknowledgement().toCompletableFuture()).isCompletedWithValue(null);
  }

  @Test
  void aForwardingPublishersOverrideKeepsWhatTheWrappedPublicationCanDo() {
    List<QueuedPublish> queue = List.of(new QueuedPublish(), new QueuedPublish());
    AtomicInteger next = new AtomicInteger();
    Publisher wrapped = event -> queue.get(next.getAndIncrement()).publication();
    Publisher observing =
        new ForwardingPublisher(wrapped) {
          @Override
          public Publication publish(EventRecord event) {
            return super.publish(event).whenComplete((placement, error) -> {});
          }
        };

    Publication withdrawn = observing.publish(EVENT);
    Publication placed = observing.publish(EVENT);

    assertThat(withdrawn.withdraw()).isTrue();
    assertThat(queue.get(0).acknowledgement).isCancelled();
    queue.get(1).acknowledge(0, 5);
    assertThat(placed.placement()).contains(new Placement(0, 5));
  }
}
