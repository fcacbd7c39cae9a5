package dev.outbox.console;

/** The console's path, {@code outbox.console.path}, checked at start. */
final class ConsolePaths {

  /** For the console's request mappings. */
  static final String PROPERTY = "${outbox.console.path:/outbox}";

  private ConsolePaths() {}

  /**
   * The path if it is one the mappings can take, such as {@code /outbox} or {@code /ops/outbox}.
   */
  static String check(String path) {
    if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
      throw new IllegalArgumentException(
          "outbox.console.path must be a path such as /outbox: segments of letters, digits and"
              + " . _ ~ -, each after a '/', none at the end; was '"
              + path
              + "'");
    }
    return path;
  }
}
