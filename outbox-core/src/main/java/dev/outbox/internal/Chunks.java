package dev.outbox.internal;

import java.sql.SQLException;
import java.util.List;

/** Splits id lists for statements with an {@code IN} list. */
final class Chunks {

  /** Ids per IN list: well under every driver's bind-parameter limit. */
  static final int MAX_IDS_PER_STATEMENT = 500;

  private Chunks() {}

  /** Work on one chunk of ids; returns the rows it changed. */
  @FunctionalInterface
  interface Work {
    int run(List<Long> chunk) throws SQLException;
  }

  /** Runs the work on each chunk of at most {@link #MAX_IDS_PER_STATEMENT} ids; sums its counts. */
  static int forEach(List<Long> ids, Work work) throws SQLException {
    int total = 0;
    for (int from = 0; from < ids.size(); from += MAX_IDS_PER_STATEMENT) {
      total += work.run(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_STATEMENT)));
    }
    return total;
  }
}
