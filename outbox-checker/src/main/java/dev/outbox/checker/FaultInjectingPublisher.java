package dev.outbox.checker;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.ForwardingPublisher;
import dev.outbox.spi.Publication;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.Publisher;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fails the publishes that the writer marked with the {@value #HEADER} header, so retries and dead
 * letters happen, until the file {@code faultsOff} appears; then it lets everything through, so the
 * checker can replay the dead letters and drain the outbox.
 */
final class FaultInjectingPublisher extends ForwardingPublisher {

  static final String HEADER = "checker-inject";

  /** Fails the first attempt only: the event is delivered on its first retry. */
  static final String FAIL_ONCE = "fail-once";

  /** Fails every attempt retriably: the event becomes a dead letter after its last attempt. */
  static final String FAIL_ALWAYS = "fail-always";

  /** Fails with a permanent error: the event becomes a dead letter at once. */
  static final String FAIL_PERMANENTLY = "fail-permanently";

  private final Path faultsOff;

  FaultInjectingPublisher(Publisher delegate, Path faultsOff) {
    super(delegate);
    this.faultsOff = faultsOff;
  }

  @Override
  public Publication publish(EventRecord event) {
    String marker = event.headers().get(HEADER);
    if (marker != null && !Files.exists(faultsOff)) {
      String message = "injected " + marker + " on attempt " + event.attempt();
      switch (marker) {
        case FAIL_ONCE -> {
          if (event.attempt() == 1) {
            return Publication.failed(PublishException.retriable(message, injected()));
          }
        }
        case FAIL_ALWAYS -> {
          return Publication.failed(PublishException.retriable(message, injected()));
        }
        case FAIL_PERMANENTLY -> {
          return Publication.failed(PublishException.permanent(message, injected()));
        }
        default -> throw new IllegalStateException("Unknown marker " + marker);
      }
    }
    return super.publish(event);
  }

  private static Exception injected() {
    return new IllegalStateException("injected by the checker");
  }
}
