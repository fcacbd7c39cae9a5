package dev.outbox.benchmarks;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publication;
import dev.outbox.spi.Publisher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Notes when the broker first acknowledged each event, for commit-to-acknowledgement latency. */
final class TimingPublisher implements Publisher {

  private final Publisher delegate;
  private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();

  TimingPublisher(Publisher delegate) {
    this.delegate = delegate;
  }

  @Override
  public Publication publish(EventRecord event) {
    return delegate
        .publish(event)
        .whenComplete(
            (placement, error) -> {
              if (error == null) {
                ackedAt.putIfAbsent(event.eventId(), System.nanoTime());
              }
            });
  }

  Map<String, Long> ackedAt() {
    return ackedAt;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
