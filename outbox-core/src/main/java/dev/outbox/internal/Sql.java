package dev.outbox.internal;

import dev.outbox.spi.Dialect;
import dev.outbox.spi.SqlStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Runs a dialect's statements: binds their values, executes them and reads their rows. */
public final class Sql {

  /** Reads one row of a result. */
  @FunctionalInterface
  public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final Dialect dialect;

  public Sql(Dialect dialect) {
    this.dialect = dialect;
  }

  public Dialect dialect() {
    return dialect;
  }

  public int update(Connection c, SqlStatement statement) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
      bind(ps, statement);
      return ps.executeUpdate();
    }
  }

  /** Runs a statement whose result does not matter (a planner setting, say). */
  public void execute(Connection c, SqlStatement statement) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
      bind(ps, statement);
      ps.execute();
    }
  }

  public <T> List<T> query(Connection c, SqlStatement statement, RowReader<T> reader)
      throws SQLException {
    List<T> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
      bind(ps, statement);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(reader.read(rs));
        }
      }
    }
    return rows;
  }

  /** Runs statements of the same SQL as one JDBC batch; returns the rows they changed. */
  public int batch(Connection c, List<SqlStatement> statements) throws SQLException {
    int total = 0;
    for (int count : batchCounts(c, statements)) {
      // A driver may report SUCCESS_NO_INFO (-2) for batched statements.
      total += Math.max(count, 0);
    }
    return total;
  }

  /**
   * Runs statements of the same SQL as one JDBC batch; returns each one's count of changed rows, or
   * {@link java.sql.Statement#SUCCESS_NO_INFO} where the driver does not tell.
   */
  public int[] batchCounts(Connection c, List<SqlStatement> statements) throws SQLException {
    if (statements.isEmpty()) {
      return new int[0];
    }
    try (PreparedStatement ps = c.prepareStatement(statements.get(0).sql())) {
      for (SqlStatement statement : statements) {
        if (!statement.sql().equals(statements.get(0).sql())) {
          throw new IllegalArgumentException("a batch runs one statement: " + statement.sql());
        }
        bind(ps, statement);
        ps.addBatch();
      }
      return ps.executeBatch();
    }
  }

  public void bind(PreparedStatement ps, SqlStatement statement) throws SQLException {
    int index = 1;
    for (Object value : statement.parameters()) {
      if (value == null) {
        ps.setNull(index, Types.VARCHAR);
      } else if (value instanceof Instant instant) {
        dialect.setInstant(ps, index, instant);
      } else if (value instanceof Long number) {
        ps.setLong(index, number);
      } else if (value instanceof Integer number) {
        ps.setInt(index, number);
      } else {
        ps.setString(index, (String) value);
      }
      index++;
    }
  }
}
