package dev.outbox;

import java.util.regex.Pattern;

/**
 * The names of the outbox's two tables. Names come from configuration, so they are checked to be
 * plain identifiers (optionally schema-qualified) before any SQL is built from them.
 */
public final class OutboxTables {

  /** The events table's name unless configured. */
  public static final String DEFAULT_EVENTS_TABLE = "outbox_events";

  /** The dead-letters table's name unless configured. */
  public static final String DEFAULT_DEAD_LETTERS_TABLE = "outbox_deadletters";

  /**
   * Longest events table name (without its schema): index names append up to 21 characters ({@code
   * _unsent_aggregate_idx}) and must fit PostgreSQL's 63 (MySQL and MariaDB allow 64).
   */
  public static final int MAX_EVENTS_TABLE_LENGTH = 42;

  /** Longest dead-letter table name (without its schema); index names append up to 14. */
  public static final int MAX_DEAD_LETTERS_TABLE_LENGTH = 49;

  private static final Pattern IDENTIFIER =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}");

  private static final OutboxTables DEFAULTS =
      new OutboxTables(DEFAULT_EVENTS_TABLE, DEFAULT_DEAD_LETTERS_TABLE);

  private final String events;
  private final String deadLetters;

  private OutboxTables(String events, String deadLetters) {
    this.events = requireIdentifier("eventsTable", events, MAX_EVENTS_TABLE_LENGTH);
    this.deadLetters =
        requireIdentifier("deadLettersTable", deadLetters, MAX_DEAD_LETTERS_TABLE_LENGTH);
    if (events.equalsIgnoreCase(deadLetters)) {
      throw new IllegalArgumentException(
          "eventsTable and deadLettersTable must differ, both were '" + events + "'");
    }
  }

  /**
   * {@return the default names: {@value #DEFAULT_EVENTS_TABLE} and {@value
   * #DEFAULT_DEAD_LETTERS_TABLE}}
   */
  public static OutboxTables defaults() {
    return DEFAULTS;
  }

  /**
   * Other table names, checked before any SQL is built from them.
   *
   * @param eventsTable the events table, optionally schema-qualified; at most {@value
   *     #MAX_EVENTS_TABLE_LENGTH} characters without the schema
   * @param deadLettersTable the dead-letters table, optionally schema-qualified; at most {@value
   *     #MAX_DEAD_LETTERS_TABLE_LENGTH} characters without the schema
   * @return the names
   * @throws IllegalArgumentException if a name is not a plain identifier, is too long, or both are
   *     the same
   */
  public static OutboxTables of(String eventsTable, String deadLettersTable) {
    return new OutboxTables(eventsTable, deadLettersTable);
  }

  /** {@return the events table's name, as configured} */
  public String events() {
    return events;
  }

  /** {@return the dead-letters table's name, as configured} */
  public String deadLetters() {
    return deadLetters;
  }

  private static String requireIdentifier(String name, String value, int maxTableLength) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name
              + " must be a plain SQL identifier (letters, digits, '_', optionally 'schema.table',"
              + " at most 63 characters each), was '"
              + value
              + "'");
    }
    String table = value.substring(value.lastIndexOf('.') + 1);
    if (table.length() > maxTableLength) {
      throw new IllegalArgumentException(
          name
              + " must be at most "
              + maxTableLength
              + " characters without its schema, so that the index names made from it fit"
              + " PostgreSQL's limit of 63; was '"
              + value
              + "' ("
              + table.length()
              + ")");
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutboxTables other
        && events.equals(other.events)
        && deadLetters.equals(other.deadLetters);
  }

  @Override
  public int hashCode() {
    return events.hashCode() * 31 + deadLetters.hashCode();
  }

  @Override
  public String toString() {
    return events + "/" + deadLetters;
  }
}
