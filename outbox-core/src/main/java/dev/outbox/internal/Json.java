package dev.outbox.internal;

import java.math.BigDecimal;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Just enough JSON for the outbox: writing plain values (the default {@code PayloadSerializer}) and
 * reading the headers column back. The core stays free of a JSON library; applications that use one
 * plug it in as their serializer. {@link JsonCheck} checks documents without reading them.
 */
public final class Json {

  private static final int MAX_DEPTH = JsonCursor.MAX_DEPTH;

  private Json() {}

  /** Thrown for a value that has no JSON form or text that is not JSON; the message says why. */
  public static final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String problem;

    JsonException(String problem) {
      this("", problem);
    }

    private JsonException(String path, String problem) {
      super(path.isEmpty() ? problem : path + " " + problem);
      this.path = path;
      this.problem = problem;
    }

    /** What is wrong with the document, and where. */
    public String problem() {
      return problem;
    }

    /**
     * Where in the value written the problem is, as {@code .items[2].price}; empty for the value
     * itself or for text that is not JSON (its problem names the offset).
     */
    public String path() {
      return path;
    }

    /** The same problem, one level deeper: {@code segment} is the member or element it is in. */
    JsonException within(String segment) {
      return new JsonException(segment + path, problem);
    }
  }

  public static String write(@Nullable Object value) {
    StringBuilder out = new StringBuilder(128);
    write(value, out, 0);
    return out.toString();
  }

  private static void write(@Nullable Object value, StringBuilder out, int depth) {
    if (depth > MAX_DEPTH) {
      throw new JsonException("is nested deeper than " + MAX_DEPTH + " levels");
    }
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence
        || value instanceof Character
        || value instanceof UUID
        || value instanceof Enum<?>
        || value instanceof TemporalAccessor) {
      quote(value.toString(), out);
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Number number) {
      writeNumber(number, out);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new JsonException("has a map key that is not a String: " + entry.getKey());
        }
        if (!first) {
          out.append(',');
        }
        first = false;
        quote(key, out);
        out.append(':');
        try {
          write(entry.getValue(), out, depth + 1);
        } catch (JsonException e) {
          throw e.within("." + key);
        }
      }
      out.append('}');
    } else if (value instanceof Collection<?> items) {
      writeArray(items, out, depth);
    } else if (value instanceof Object[] items) {
      writeArray(Arrays.asList(items), out, depth);
    } else {
      throw new JsonException(
          "holds a "
              + value.getClass().getName()
              + ", which the built-in serializer cannot write: it writes Maps, Lists, arrays,"
              + " Strings, numbers, booleans, enums, UUIDs and java.time values. Plug your JSON"
              + " library in as the PayloadSerializer (Spring Boot's starter uses the application's"
              + " JSON mapper: Outbox.event(…)), or pass JSON text with payloadJson(String)");
    }
  }

  private static void writeArray(Collection<?> items, StringBuilder out, int depth) {
    out.append('[');
    int index = 0;
    for (Object item : items) {
      if (index > 0) {
        out.append(',');
      }
      try {
        write(item, out, depth + 1);
      } catch (JsonException e) {
        throw e.within("[" + index + "]");
      }
      index++;
    }
    out.append(']');
  }

  private static void writeNumber(Number number, StringBuilder out) {
    if (number instanceof Double || number instanceof Float) {
      double d = number.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new JsonException("holds the number " + d + ", which JSON cannot represent");
      }
    }
    if (number instanceof BigDecimal decimal) {
      out.append(decimal.toString());
    } else {
      out.append(number);
    }
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Parses one JSON document into Maps, Lists, Strings, BigDecimals, Booleans and nulls.
   *
   * @throws JsonException naming the position of the first error
   */
  public static @Nullable Object parse(String text) {
    Parser parser = new Parser(text);
    parser.whitespace();
    Object value = parser.value(0);
    parser.end();
    return value;
  }

  private static final class Parser extends JsonCursor {

    Parser(String text) {
      super(text);
    }

    @Nullable Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH + " levels");
      }
      if (pos >= text.length()) {
        throw error("unexpected end of text");
      }
      char c = text.charAt(pos);
      return switch (c) {
        case '{' -> object(depth);
        case '[' -> array(depth);
        case '"' -> string();
        case 't' -> literal("true", true);
        case 'f' -> literal("false", false);
        case 'n' -> literal("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          throw error("unexpected character '" + c + "'");
        }
      };
    }

    private Map<String, @Nullable Object> object(int depth) {
      Map<String, @Nullable Object> map = new LinkedHashMap<>();
      pos++;
      whitespace();
      if (peek() == '}') {
        pos++;
        return map;
      }
      while (true) {
        whitespace();
        if (peek() != '"') {
          throw error("expected a quoted member name");
        }
        String key = string();
        whitespace();
        expect(':');
        whitespace();
        map.put(key, value(depth + 1));
        whitespace();
        char c = next();
        if (c == '}') {
          return map;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<@Nullable Object> array(int depth) {
      List<@Nullable Object> list = new ArrayList<>();
      pos++;
      whitespace();
      if (peek() == ']') {
        pos++;
        return list;
      }
      while (true) {
        whitespace();
        list.add(value(depth + 1));
        whitespace();
        char c = next();
        if (c == ']') {
          return list;
        }
        if (c != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw error("unescaped control character in a string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> sb.append(hex4());
          default -> throw error("invalid escape '\\" + e + "'");
        }
      }
    }

    private BigDecimal number() {
      int start = pos;
      skipNumber();
      return new BigDecimal(text.substring(start, pos));
    }

    private @Nullable Object literal(String word, @Nullable Object value) {
      skipLiteral(word);
      return value;
    }
  }
}
