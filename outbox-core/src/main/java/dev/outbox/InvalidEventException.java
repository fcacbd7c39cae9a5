package dev.outbox;

/**
 * An event was refused before anything was written, because one of its fields is invalid. The
 * caller's transaction is untouched and can go on.
 */
public final class InvalidEventException extends OutboxException {

  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * The message is the field's name followed by the problem.
   *
   * @param field the field, as the builder names it, such as {@code "topic"}
   * @param problem what is wrong with it, such as {@code "must not be blank"}
   */
  public InvalidEventException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  /** {@return the name of the offending field, for example {@code topic} or {@code payload}} */
  public String field() {
    return field;
  }
}
