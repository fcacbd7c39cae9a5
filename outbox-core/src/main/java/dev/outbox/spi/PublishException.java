package dev.outbox.spi;

/**
 * A failed delivery, classified so the dispatcher knows whether trying again can help.
 *
 * <p>A {@linkplain #permanent permanent} failure (record too large, invalid topic, not authorized)
 * moves the event to the dead letters at once; a {@linkplain #retriable retriable} one (broker
 * unavailable, timeout) schedules another attempt with backoff.
 */
public class PublishException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean retriable;

  protected PublishException(String message, Throwable cause, boolean retriable) {
    super(message, cause);
    this.retriable = retriable;
  }

  public static PublishException retriable(String message, Throwable cause) {
    return new PublishException(message, cause, true);
  }

  public static PublishException permanent(String message, Throwable cause) {
    return new PublishException(message, cause, false);
  }

  public boolean isRetriable() {
    return retriable;
  }
}
