package dev.outbox.relay;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine;

/** Durations as an operator reads them: {@code 850 ms}, {@code 12.4 s}, {@code 3 min 5 s}. */
final class Durations {

  private Durations() {}

  static String human(Duration duration) {
    Duration d = duration.isNegative() ? Duration.ZERO : duration;
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + " ms";
    }
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    if (d.compareTo(Duration.ofHours(1)) < 0) {
      return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }
    return d.toHours() + " h " + d.toMinutesPart() + " min";
  }

  /** Reads a duration as Spring Boot's properties do: {@code 90s}, {@code 5m}, {@code PT2M}. */
  static final class Converter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return DurationStyle.detectAndParse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration such as 90s or 5m");
      }
    }
  }
}
