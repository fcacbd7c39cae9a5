package dev.outbox.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A statement of a {@link Dialect}: its SQL text and the values of its {@code ?} parameters, in
 * order, written side by side so a reader sees which value goes where. A value is a {@link String},
 * {@link Long}, {@link Integer}, {@link Instant} (bound with {@link Dialect#setInstant}) or {@code
 * null} (a missing string); a {@link Collection} stands for as many parameters as it has elements,
 * for an {@code IN} list written with {@link Dialect#placeholders}.
 */
public final class SqlStatement {

  private final String sql;
  private final List<@Nullable Object> parameters;

  private SqlStatement(String sql, List<@Nullable Object> parameters) {
    this.sql = sql;
    this.parameters = parameters;
  }

  /**
   * The statement {@code sql} with these parameter values.
   *
   * @param sql the SQL text, with one {@code ?} per parameter value
   * @param parameters the values in order; a collection is spread into one value per element
   * @return the statement
   * @throws IllegalArgumentException for a value of a type other than those listed on the class
   */
  public static SqlStatement of(String sql, @Nullable Object... parameters) {
    Objects.requireNonNull(sql, "sql");
    List<@Nullable Object> flat = new ArrayList<>();
    for (Object parameter : parameters) {
      if (parameter instanceof Collection<?> values) {
        flat.addAll(values);
      } else {
        flat.add(parameter);
      }
    }
    for (Object value : flat) {
      if (value != null
          && !(value instanceof String
              || value instanceof Long
              || value instanceof Integer
              || value instanceof Instant)) {
        throw new IllegalArgumentException(
            "parameter of type " + value.getClass().getName() + " in statement: " + sql);
      }
    }
    return new SqlStatement(sql, Collections.unmodifiableList(flat));
  }

  /** {@return the SQL text, with {@code ?} for each parameter} */
  public String sql() {
    return sql;
  }

  /** {@return the parameter values, collections already spread out} */
  public List<@Nullable Object> parameters() {
    return parameters;
  }

  @Override
  public String toString() {
    return sql + " " + parameters;
  }
}
