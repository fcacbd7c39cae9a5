package dev.outbox.spring;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code outbox.*} setting the outbox refused, in the words of the property the user wrote: the
 * builders name their options ({@code batchSize must be > 0, was 0}), the application's
 * configuration names properties ({@code outbox.batch-size}). Reported by {@link
 * OutboxFailureAnalyzer} as Spring Boot's "APPLICATION FAILED TO START".
 */
final class InvalidOutboxSettingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The options of {@link OutboxProperties}, longest first, so none is part of a longer one. */
  private static final List<String> OPTIONS =
      Arrays.stream(OutboxProperties.class.getDeclaredFields())
          .filter(field -> !Modifier.isStatic(field.getModifiers()))
          .map(Field::getName)
          .sorted(Comparator.comparingInt(String::length).reversed())
          .toList();

  private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

  InvalidOutboxSettingException(IllegalArgumentException refusal) {
    super(inPropertyNames(String.valueOf(refusal.getMessage())), refusal);
  }

  /** {@code batchSize must be > 0} as {@code outbox.batch-size must be > 0}. */
  static String inPropertyNames(String message) {
    String translated = message;
    for (String option : OPTIONS) {
      translated =
          translated.replaceAll("\\b" + option + "\\b", Matcher.quoteReplacement(property(option)));
    }
    return translated;
  }

  static String property(String option) {
    return "outbox."
        + CAMEL_HUMP.matcher(option).replaceAll("$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
