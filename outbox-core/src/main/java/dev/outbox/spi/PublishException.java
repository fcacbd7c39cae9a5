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

  /**
   * For subclasses that carry more about the failure; others use {@link #retriable} or {@link
   * #permanent}.
   *
   * @param message what failed, with the event and destination
   * @param cause the broker client's error
   * @param retriable whether another attempt can succeed
   */
  protected PublishException(String message, Throwable cause, boolean retriable) {
    super(message, cause);
    this.retriable = retriable;
  }

  /**
   * A failure that another attempt may not meet (broker unavailable, timeout); the event is tried
   * again after its backoff.
   *
   * @param message what failed
   * @param cause the broker client's error
   * @return the exception, to complete an acknowledgement with
   */
  public static PublishException retriable(String message, Throwable cause) {
    return new PublishException(message, cause, true);
  }

  /**
   * A failure that every attempt would meet (record too large, invalid topic, not authorized); the
   * event becomes a dead letter at once.
   *
   * @param message what failed
   * @param cause the broker client's error
   * @return the exception, to complete an acknowledgement with
   */
  public static PublishException permanent(String message, Throwable cause) {
    return new PublishException(message, cause, false);
  }

  /**
   * {@return whether another attempt can help; {@code false} sends the event to the dead letters}
   */
  public boolean isRetriable() {
    return retriable;
  }
}
