package dev.outbox.console;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** A request the console refuses, with the status and the one line it answers. */
final class ConsoleException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final @Nullable Duration retryAfter;

  ConsoleException(HttpStatus status, String message) {
    this(status, message, null);
  }

  /**
   * @param retryAfter when to try again, answered as {@code Retry-After}
   */
  ConsoleException(HttpStatus status, String message, @Nullable Duration retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  HttpStatus status() {
    return status;
  }

  @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
