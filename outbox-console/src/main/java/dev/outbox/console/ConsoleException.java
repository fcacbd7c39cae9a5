package dev.outbox.console;

import org.springframework.http.HttpStatus;

/** A request the console refuses, with the status and the one line it answers. */
final class ConsoleException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;

  ConsoleException(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  HttpStatus status() {
    return status;
  }
}
