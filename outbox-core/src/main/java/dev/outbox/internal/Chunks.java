package dev.outbox.internal;

import java.sql.SQLException;
import java.util.List;

/** Splits lists of ids or rows for statements with an {@code IN} list or several rows. */
final class Chunks {

  /** Ids per IN list, or rows per statement: well under every driver's bind-parameter limit. */
  static final int MAX_PER_STATEMENT = 500;

  private Chunks() {}

  /** Work on one chunk; returns the rows it changed. */
  @FunctionalInterface
  interface Work<T> {
    int run(List<T> chunk) throws SQLException;
  }

  /** Runs the work on each chunk of at most {@link #MAX_PER_STATEMENT} items; sums its counts. */
  static <T> int forEach(List<T> items, Work<T> work) throws SQLException {
    int total = 0;
    for (int from = 0; from < items.size(); from += MAX_PER_STATEMENT) {
      total += work.run(items.subList(from, Math.min(items.size(), from + MAX_PER_STATEMENT)));
    }
    return total;
  }
}
