package dev.outbox.console;

import dev.outbox.console.internal.ExposedConsoleException;
import dev.outbox.console.internal.ListenAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to serve the console where other machines can reach it without credentials of its own,
 * unless told that something else guards it ({@code outbox.console.require-credentials=false}).
 * Checked before any bean is made, so a relay or application so configured stops before it connects
 * to anything or opens its port.
 */
final class ConsoleExposure {

  private static final Logger log = LoggerFactory.getLogger(ConsoleExposure.class);

  private ConsoleExposure() {}

  static void check(ListenAddress listening, ConsoleProperties properties) {
    if (listening.loopback()) {
      return;
    }
    boolean credentials =
        properties.getToken() != null
            || (properties.getUsername() != null && properties.getPassword() != null);
    if (!credentials && properties.isRequireCredentials()) {
      throw new ExposedConsoleException(listening);
    }
    if (properties.isAnonymousRead()) {
      log.warn(
          "The outbox console listens on {} with outbox.console.anonymous-read=true: anyone who"
              + " reaches it can read the backlog and the dead letters",
          listening.describe());
    }
  }
}
