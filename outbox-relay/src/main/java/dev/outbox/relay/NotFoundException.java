package dev.outbox.relay;

/** Nothing has the id the command was given: exit code {@value OutboxCli#NOT_FOUND}. */
final class NotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  NotFoundException(String message) {
    super(message);
  }
}
