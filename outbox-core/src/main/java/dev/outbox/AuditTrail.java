package dev.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one log of what operators did to the outbox and of what they were refused, whatever surface
 * they used: the {@value #LOGGER_NAME} logger. Changes are logged at INFO (a bulk change when it
 * starts and when it ends), refusals, including failed sign-ins, at WARN. Route this logger to a
 * file or a collector of its own to keep the trail.
 */
public final class AuditTrail {

  /** The name of the audit trail's SLF4J logger. */
  public static final String LOGGER_NAME = "dev.outbox.audit";

  private static final Logger log = LoggerFactory.getLogger(LOGGER_NAME);
  private static final int MAX_LENGTH = 300;

  private AuditTrail() {}

  /**
   * A request refused: {@code refused POST /outbox/api/bulk from 10.0.0.5 (console): 401 sign in}.
   * What the client sent is cleaned first, so that it cannot forge log lines, and cut short.
   *
   * @param request what was asked, as the surface names it (method and path, say)
   * @param why the answer the client was given; never a secret it presented
   * @param via the surface, as {@link Operator#via()} names it
   * @param from the client's address, as the surface saw it
   */
  public static void refused(String via, String from, String request, String why) {
    log.warn("refused {} from {} ({}): {}", clean(request), clean(from), via, clean(why));
  }

  static void started(Operator operator, DeadLetterChange change) {
    log.info("{} started to {}", operator, change.describe());
  }

  static void finished(Operator operator, DeadLetterChange.Result result) {
    if (result.failure() == null) {
      log.info("{} {}", operator, result.describe());
    } else {
      log.warn("{} {}", operator, result.describe());
    }
  }

  /** Without line breaks or other control characters, which could forge log lines; cut short. */
  static String clean(String text) {
    String line = text.replaceAll("\\p{Cntrl}", "?");
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }
}
