package dev.outbox.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Small JDBC helpers shared by the stores. */
final class Statements {

  /** Ids per IN list: well under every driver's bind-parameter limit. */
  static final int MAX_IDS_PER_STATEMENT = 500;

  private Statements() {}

  /** Work on one chunk of ids. */
  @FunctionalInterface
  interface ChunkWork {
    void run(List<Long> chunk) throws SQLException;
  }

  static void forEachChunk(List<Long> ids, ChunkWork work) throws SQLException {
    for (int from = 0; from < ids.size(); from += MAX_IDS_PER_STATEMENT) {
      work.run(ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_STATEMENT)));
    }
  }

  static void bindIds(PreparedStatement ps, int first, List<Long> ids) throws SQLException {
    for (int i = 0; i < ids.size(); i++) {
      ps.setLong(first + i, ids.get(i));
    }
  }

  static int sum(int[] counts) {
    int total = 0;
    for (int count : counts) {
      // A driver may report SUCCESS_NO_INFO (-2) for batched statements.
      total += Math.max(count, 0);
    }
    return total;
  }
}
