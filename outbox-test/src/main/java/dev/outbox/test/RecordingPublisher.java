package dev.outbox.test;

import static org.awaitility.Awaitility.await;

import dev.outbox.spi.BrokerAvailability;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publication;
import dev.outbox.spi.Publisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Records every publish attempt and delivers (or fails) according to a behaviour the test sets: a
 * stand-in for the broker in an application's tests of "this change publishes that event".
 */
public final class RecordingPublisher implements Publisher {

  private final List<EventRecord> attempts = new ArrayList<>();
  private final List<EventRecord> delivered = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger availabilityChecks = new AtomicInteger();
  private volatile Function<EventRecord, CompletionStage<Void>> behaviour =
      e -> CompletableFuture.completedFuture(null);
  private volatile BrokerAvailability availability = BrokerAvailability.AVAILABLE;

  /** How the next publishes end; the default acknowledges at once. */
  public void behave(Function<EventRecord, CompletionStage<Void>> behaviour) {
    this.behaviour = behaviour;
  }

  /**
   * What {@link #checkAvailability} answers from now on; the default, {@link
   * BrokerAvailability#AVAILABLE}, makes every failure count as the event's own.
   */
  public void brokerAvailability(BrokerAvailability availability) {
    this.availability = availability;
  }

  @Override
  public BrokerAvailability checkAvailability(Duration timeout) {
    availabilityChecks.incrementAndGet();
    return availability;
  }

  /** How often the dispatcher asked whether the broker is available. */
  public int availabilityChecks() {
    return availabilityChecks.get();
  }

  /**
   * Records the attempt and answers as the behaviour does. The publication can be {@linkplain
   * Publication#withdraw() withdrawn} while the behaviour's stage is not complete, which cancels
   * that stage, so a behaviour that never completes stands for a send still queued in a real
   * publisher.
   */
  @Override
  public Publication publish(EventRecord event) {
    synchronized (this) {
      attempts.add(event);
    }
    CompletableFuture<Void> send = behaviour.apply(event).toCompletableFuture();
    CompletionStage<Void> recorded =
        send.thenRun(
            () -> {
              synchronized (this) {
                delivered.add(event);
              }
            });
    return Publication.withdrawable(recorded, () -> send.cancel(false));
  }

  public synchronized List<EventRecord> attempts() {
    return List.copyOf(attempts);
  }

  public synchronized List<EventRecord> delivered() {
    return List.copyOf(delivered);
  }

  /**
   * Waits until at least {@code count} events were delivered and returns the first {@code count} of
   * them, in the order they were delivered.
   *
   * @throws org.awaitility.core.ConditionTimeoutException when fewer arrive within {@code timeout}
   */
  public List<EventRecord> awaitDelivered(int count, Duration timeout) {
    await(count + " event(s) delivered to the recording publisher")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> delivered().size() >= count);
    return delivered().subList(0, count);
  }

  public synchronized List<String> deliveredIds() {
    return delivered.stream().map(EventRecord::eventId).toList();
  }

  @Override
  public void close() {
    closed.set(true);
  }

  public boolean isClosed() {
    return closed.get();
  }
}
