package dev.outbox.console.internal;

/**
 * The console would listen where others can reach it without credentials of its own: the
 * application refuses to start ({@link ExposedConsoleFailureAnalyzer} says what to set).
 */
public final class ExposedConsoleException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String where;

  public ExposedConsoleException(ListenAddress listening) {
    super(
        "the console would listen on "
            + listening.describe()
            + " without credentials: set outbox.console.token, or outbox.console.username and"
            + " outbox.console.password; or listen on loopback only (server.address=127.0.0.1);"
            + " or, if something else guards it, set outbox.console.require-credentials=false;"
            + " or turn it off (outbox.console.enabled=false)");
    this.where = listening.describe();
  }

  /** Where it would listen, as {@link ListenAddress#describe()} says. */
  public String where() {
    return where;
  }
}
