package dev.outbox;

/**
 * Root of the exceptions the outbox throws when an operation fails: {@link InvalidEventException},
 * {@link DuplicateEventException}, {@link OutboxDatabaseException}, and this class itself (for
 * example an unsupported database). All are unchecked.
 *
 * <p>Misuse of the API is reported the standard way instead: a bad configuration value by {@link
 * IllegalArgumentException} naming the option, a call in the wrong state (starting a dispatcher
 * twice, dead letters of one not started) by {@link IllegalStateException}, a {@code null} argument
 * by {@link NullPointerException}.
 */
public class OutboxException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with this message and no cause.
   *
   * @param message what failed
   */
  public OutboxException(String message) {
    super(message);
  }

  /**
   * An exception with this message, caused by {@code cause}.
   *
   * @param message what failed
   * @param cause the underlying failure
   */
  public OutboxException(String message, Throwable cause) {
    super(message, cause);
  }
}
