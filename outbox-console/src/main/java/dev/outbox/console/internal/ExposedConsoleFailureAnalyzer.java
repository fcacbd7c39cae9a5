package dev.outbox.console.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * An application, or the relay, that would serve the console to the network without credentials
 * says what to set, in Spring Boot's "APPLICATION FAILED TO START" report and without a stack
 * trace.
 */
final class ExposedConsoleFailureAnalyzer extends AbstractFailureAnalyzer<ExposedConsoleException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ExposedConsoleException cause) {
    return new FailureAnalysis(
        "The outbox console would listen on "
            + cause.where()
            + ", where other machines can reach it, without credentials of its own: anyone who"
            + " reaches it could try to read or change the outbox's dead letters.",
        "Set outbox.console.token (16 characters or more), or outbox.console.username and"
            + " outbox.console.password (8 or more), e.g. as OUTBOX_CONSOLE_TOKEN. Or listen on"
            + " the loopback interface only: server.address=127.0.0.1. If the application's own"
            + " security signs in the console's users, or nothing else can reach this address"
            + " (a container's port published on its host's loopback only), say so with"
            + " outbox.console.require-credentials=false. Or turn the console off:"
            + " outbox.console.enabled=false.",
        cause);
  }
}
