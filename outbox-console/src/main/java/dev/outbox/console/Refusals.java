package dev.outbox.console;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

/**
 * One WARN line for each request the console refuses (401, 403, 429), on the audit logger beside
 * the lines of the changes it made: an operator sees who was turned away, from where and why. What
 * the client sent is cleaned before it is logged, and a presented secret is never part of it.
 */
final class Refusals {

  static final Logger AUDIT = LoggerFactory.getLogger("dev.outbox.console.audit");

  private static final int MAX_LENGTH = 300;

  private Refusals() {}

  static void log(HttpServletRequest request, HttpStatus status, String why) {
    AUDIT.warn(
        "refused {} {} from {}: {} {}",
        clean(request.getMethod()),
        clean(request.getRequestURI()),
        request.getRemoteAddr(),
        status.value(),
        clean(why));
  }

  /** Without line breaks or other control characters, which could forge log lines; cut short. */
  static String clean(String text) {
    String line = text.replaceAll("\\p{Cntrl}", "?");
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }
}
