package dev.outbox.spi;

import java.util.Locale;

/**
 * The {@code status} column of an event row; the column holds {@link #sql()}. A {@link Dialect}
 * writes these values as literals in its statements (PostgreSQL's partial indexes only serve
 * statements that spell them out).
 *
 * <pre>
 *  save ─▶ PENDING ─claim─▶ PROCESSING ─acknowledged─▶ SENT ─after the retention─▶ deleted
 *            ▲ ▲             │  │  │  │
 *            │ └─released────┘  │  │  └─failed for good─▶ FAILED ─dead-letter worker─▶ dead letter
 *            │   (unattempted)  │  │                                                       │
 *            │                  │  └─failed, attempts left─▶ RETRY ─due again─▶ claimed    │
 *            │                  └─lease expired: an attempt counted, RETRY or FAILED       │
 *            └─────────────────────────────────── replay ──────────────────────────────────┘
 * </pre>
 *
 * <p>A released event that had failed before goes back to RETRY, not PENDING. The claim itself is
 * described on the engine's {@code EventClaimer}.
 *
 * <p>Where the database leases by transaction ({@link Dialect#leasesByTransaction}, PostgreSQL), a
 * claimed event keeps its status while its claim's transaction holds the row locked, and goes from
 * PENDING or RETRY straight to its outcome; it is PROCESSING only when its publish was not answered
 * in time, leased for the stuck-event worker to decide.
 *
 * <p>PENDING, RETRY, PROCESSING and FAILED are <em>unsent</em>: while any of them holds an older
 * row of an aggregate, no later row of it is claimed (FAILED only under {@code HOLD_AGGREGATE},
 * where a dead letter holds its aggregate too).
 */
public enum EventStatus {
  /** Saved and never attempted; due at {@code next_attempt_at}. */
  PENDING,
  /**
   * Leased by a dispatcher ({@code locked_by} until {@code locked_until}) and being published, or
   * its publish left unanswered.
   */
  PROCESSING,
  /** Acknowledged by the broker at {@code sent_at}; kept until the retention ends. */
  SENT,
  /** Failed at least once; due again at {@code next_attempt_at}. */
  RETRY,
  /** Failed for good; the dead-letter worker moves it to the dead-letters table. */
  FAILED;

  private final String sql = name().toLowerCase(Locale.ROOT);

  /** {@return the value of the {@code status} column} */
  public String sql() {
    return sql;
  }

  /**
   * The status a {@code status} column holds (padding of a {@code CHAR} column ignored).
   *
   * @throws IllegalArgumentException for a value that is none of them
   * @param value the column's value, such as {@code "pending"}
   * @return the status
   */
  public static EventStatus fromSql(String value) {
    return valueOf(value.strip().toUpperCase(Locale.ROOT));
  }

  /**
   * Waiting to be claimed once due.
   *
   * @return {@code true} for PENDING and RETRY
   */
  public boolean isWaiting() {
    return this == PENDING || this == RETRY;
  }
}
