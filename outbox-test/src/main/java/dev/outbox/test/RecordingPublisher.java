package dev.outbox.test;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Records every publish attempt and delivers (or fails) according to a behaviour the test sets.
 * Unit-level stand-in for a broker; the end-to-end tests use a real Kafka broker.
 */
public final class RecordingPublisher implements Publisher {

  private final List<EventRecord> attempts = new ArrayList<>();
  private final List<EventRecord> delivered = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Function<EventRecord, CompletionStage<Void>> behaviour =
      e -> CompletableFuture.completedFuture(null);

  /** How the next publishes end; the default acknowledges at once. */
  public void behave(Function<EventRecord, CompletionStage<Void>> behaviour) {
    this.behaviour = behaviour;
  }

  @Override
  public CompletionStage<Void> publish(EventRecord event) {
    synchronized (this) {
      attempts.add(event);
    }
    return behaviour
        .apply(event)
        .thenRun(
            () -> {
              synchronized (this) {
                delivered.add(event);
              }
            });
  }

  public synchronized List<EventRecord> attempts() {
    return List.copyOf(attempts);
  }

  public synchronized List<EventRecord> delivered() {
    return List.copyOf(delivered);
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
