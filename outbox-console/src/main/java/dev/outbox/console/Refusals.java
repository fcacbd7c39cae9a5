package dev.outbox.console;

import dev.outbox.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;

/**
 * Each request the console refuses (401, 403, 429), in the {@link AuditTrail} beside the changes it
 * made: an operator sees who was turned away, from where and why. A presented secret is never part
 * of the line.
 */
final class Refusals {

  private Refusals() {}

  static void log(HttpServletRequest request, HttpStatus status, String why) {
    AuditTrail.refused(
        "console",
        request.getRemoteAddr(),
        request.getMethod() + " " + request.getRequestURI(),
        status.value() + " " + why);
  }
}
