package dev.outbox;

/**
 * A bulk change of dead letters was confirmed for a number of them that no longer match: nothing
 * was done, and the operator should look again ({@link DeadLetterChange#confirmed}).
 */
public class SelectionChangedException extends OutboxException {

  private static final long serialVersionUID = 1L;

  /**
   * The exception, with this message.
   *
   * @param message how many match now and how many were confirmed
   */
  public SelectionChangedException(String message) {
    super(message);
  }
}
