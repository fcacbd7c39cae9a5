package dev.outbox.spring;

/**
 * The dispatcher has nothing to publish with: the application defines no {@code Publisher} bean and
 * {@code outbox-kafka} is not on the class path. {@link OutboxFailureAnalyzer} says what to add.
 */
final class MissingPublisherException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  MissingPublisherException() {
    super("The outbox dispatcher has no Publisher");
  }
}
