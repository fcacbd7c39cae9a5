package dev.outbox.internal;

import dev.outbox.InvalidEventException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The rules every outbox event field must satisfy; each failure names the field. */
public final class EventValidation {

  public static final int MAX_EVENT_ID_LENGTH = 128;
  public static final int MAX_NAME_LENGTH = 255;
  public static final int MAX_TOPIC_LENGTH = 249;
  public static final int MAX_HEADER_VALUE_LENGTH = 4096;

  /** All header names and values together; the smallest headers column (MySQL TEXT) fits it. */
  public static final int MAX_HEADERS_LENGTH = 16_384;

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern HEX_16 = Pattern.compile("[0-9a-f]{16}");

  private EventValidation() {}

  public static String requireText(String field, @Nullable String value, int maxLength) {
    if (value == null) {
      throw new InvalidEventException(field, "is required but was null");
    }
    if (value.isBlank()) {
      throw new InvalidEventException(field, "must not be blank");
    }
    if (value.length() > maxLength) {
      throw new InvalidEventException(
          field, "is " + value.length() + " characters long; at most " + maxLength + " allowed");
    }
    requireNoNul(field, value);
    return value;
  }

  /** PostgreSQL refuses NUL in text, and a refused statement would abort the caller's tx. */
  public static void requireNoNul(String field, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new InvalidEventException(field, "must not contain the NUL character (\\u0000)");
    }
  }

  /** Kafka's own topic rules, checked here so a bad topic never reaches the table. */
  public static String requireTopic(@Nullable String topic) {
    String name = requireText("topic", topic, MAX_TOPIC_LENGTH);
    if (name.equals(".") || name.equals("..")) {
      throw new InvalidEventException("topic", "must not be '.' or '..'");
    }
    if (!TOPIC.matcher(name).matches()) {
      throw new InvalidEventException(
          "topic", "'" + name + "' may contain only ASCII letters, digits, '.', '_' and '-'");
    }
    return name;
  }

  public static String requireJson(String field, @Nullable String json) {
    if (json == null) {
      throw new InvalidEventException(field, "is required but was null");
    }
    if (json.isBlank()) {
      throw new InvalidEventException(field, "must be a JSON document but was blank");
    }
    requireNoNul(field, json);
    try {
      JsonCheck.check(json);
    } catch (Json.JsonException e) {
      throw new InvalidEventException(field, e.problem());
    }
    return json;
  }

  public static String requireTraceparent(@Nullable String traceparent) {
    if (traceparent == null || !TRACEPARENT.matcher(traceparent).matches()) {
      throw new InvalidEventException(
          "traceparent",
          "'"
              + traceparent
              + "' is not a W3C traceparent (version-traceid-spanid-flags in lowercase hex,"
              + " e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01)");
    }
    if (traceparent.startsWith("ff")) {
      throw new InvalidEventException("traceparent", "version ff is forbidden by W3C");
    }
    requireTraceId(traceparent.substring(3, 35));
    requireSpanId(traceparent.substring(36, 52));
    return traceparent;
  }

  public static String requireTraceId(@Nullable String traceId) {
    if (traceId == null || !HEX_32.matcher(traceId).matches() || isAllZero(traceId)) {
      throw new InvalidEventException(
          "traceId", "'" + traceId + "' must be 32 lowercase hex characters, not all zero");
    }
    return traceId;
  }

  public static String requireSpanId(@Nullable String spanId) {
    if (spanId == null || !HEX_16.matcher(spanId).matches() || isAllZero(spanId)) {
      throw new InvalidEventException(
          "spanId", "'" + spanId + "' must be 16 lowercase hex characters, not all zero");
    }
    return spanId;
  }

  private static boolean isAllZero(String hex) {
    return hex.chars().allMatch(c -> c == '0');
  }
}
