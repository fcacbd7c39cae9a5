package dev.outbox.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.DatabaseType;
import dev.outbox.DeadLetterQuery;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxTables;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every statement of every built-in dialect, made with sample values of every shape its parameters
 * can take: each has as many values as parameter markers, and spells statuses as {@link
 * EventStatus} values.
 */
class DialectStatementsTest {

  /** Quoted words that are not statuses: PostgreSQL's planner settings. */
  private static final Set<String> OTHER_LITERALS =
      Set.of("enable_bitmapscan", "enable_sort", "jit", "off");

  private static final Pattern LITERAL = Pattern.compile("'([^']*)'");

  @ParameterizedTest
  @EnumSource(DatabaseType.class)
  void everyStatementBindsAValuePerMarkerAndNamesOnlyKnownStatuses(DatabaseType type)
      throws Exception {
    Dialect dialect = type.create(OutboxTables.defaults());
    Set<String> statuses =
        Arrays.stream(EventStatus.values()).map(EventStatus::sql).collect(Collectors.toSet());
    List<SqlStatement> statements = allStatements(dialect);
    assertThat(statements).as("two of each of the 30 statements").hasSizeGreaterThanOrEqualTo(60);

    for (SqlStatement statement : statements) {
      long markers = statement.sql().chars().filter(ch -> ch == '?').count();
      assertThat(statement.parameters()).as(statement.sql()).hasSize((int) markers);
      Matcher literals = LITERAL.matcher(statement.sql());
      while (literals.find()) {
        assertThat(literals.group(1))
            .as("a quoted value in %s", statement.sql())
            .isIn(union(statuses, OTHER_LITERALS));
      }
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** Each statement method called with each combination of flags and of empty or full lists. */
  private static List<SqlStatement> allStatements(Dialect dialect) throws Exception {
    List<SqlStatement> statements = new ArrayList<>();
    for (Method method : Dialect.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      if (method.getReturnType() == SqlStatement.class) {
        for (boolean variant : new boolean[] {false, true}) {
          Object[] args = new Object[method.getParameterCount()];
          Type[] types = method.getGenericParameterTypes();
          AnnotatedType[] annotated = method.getAnnotatedParameterTypes();
          for (int i = 0; i < args.length; i++) {
            boolean nullable = annotated[i].isAnnotationPresent(Nullable.class);
            args[i] = nullable && !variant ? null : sample(types[i], variant);
          }
          statements.add((SqlStatement) method.invoke(dialect, args));
        }
      } else if (method.getName().equals("claimPreparation")) {
        statements.addAll(dialect.claimPreparation());
      }
    }
    return statements;
  }

  private static Object sample(Type type, boolean variant) {
    if (type == boolean.class) {
      return variant;
    }
    if (type == int.class) {
      return 7;
    }
    if (type == long.class) {
      return 42L;
    }
    if (type == String.class) {
      return "value";
    }
    if (type == Instant.class) {
      return Instant.parse("2026-12-01T00:00:00Z");
    }
    if (type == DeadLetterQuery.class) {
      return variant
          ? DeadLetterQuery.builder()
              .eventType("T")
              .aggregate("A", "a1")
              .deadLetteredBetween(Instant.EPOCH, Instant.now())
              .build()
          : DeadLetterQuery.all();
    }
    if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      Type element = list.getActualTypeArguments()[0];
      if (!variant) {
        return element == OutboxEvent.class || element == Dialect.AggregateStart.class
            ? List.of(sample(element, true))
            : List.of();
      }
      return List.of(sample(element, true), sample(element, true));
    }
    if (type == Long.class) {
      return 1L;
    }
    if (type == OutboxEvent.class) {
      return OutboxEvent.of("e", "T", "A", "a", "t", Map.of("n", 1));
    }
    if (type == Dialect.AggregateStart.class) {
      return new Dialect.AggregateStart("A", "a", 3);
    }
    if (type == HeadClaimQuery.class) {
      // Every optional part given in one variant, none in the other.
      return variant
          ? HeadClaimQuery.dueBy(Instant.now(), 10)
              .lastIdAtBound(7L)
              .holdAfterDeadLetter(true)
              .among(List.of(1L, 2L))
              .inDueOrder(true)
              .build()
          : HeadClaimQuery.dueBy(Instant.now(), 10).build();
    }
    throw new IllegalArgumentException("no sample for " + type);
  }
}
