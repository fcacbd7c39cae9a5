package dev.outbox.peers;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the harness tells a peer program: where the database and the broker are, the topic, and the
 * backlog to drain; or, with the three {@code --paced-…} options, the paced run to make instead.
 *
 * <pre>
 * --jdbc-url U --db-user X --db-password Y --bootstrap-servers B --topic T
 * --events N --aggregates A --payload-bytes P
 * [--paced-rate R --paced-seconds S --commit-times FILE]
 * </pre>
 */
public record PeerOptions(
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    String bootstrapServers,
    String topic,
    int events,
    int aggregates,
    int payloadBytes,
    Optional<Paced> paced) {

  /**
   * A paced run ({@link PacedWrites}): with the peer's relay running, {@code rate} events a second
   * for {@code seconds}, one to a transaction; the commit times go to {@code commitTimes}.
   */
  public record Paced(int rate, int seconds, Path commitTimes) {

    /** The events written: event {@code i} is the backlog's event {@code i}. */
    public int events() {
      return Math.multiplyExact(rate, seconds);
    }
  }

  /** Parses the arguments; an {@link IllegalArgumentException} names a missing or bad one. */
  public static PeerOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
    Optional<Paced> paced = Optional.empty();
    if (values.containsKey("paced-rate")
        || values.containsKey("paced-seconds")
        || values.containsKey("commit-times")) {
      paced =
          Optional.of(
              new Paced(
                  positive(values, "paced-rate"),
                  positive(values, "paced-seconds"),
                  Path.of(required(values, "commit-times"))));
    }
    return new PeerOptions(
        required(values, "jdbc-url"),
        required(values, "db-user"),
        values.getOrDefault("db-password", ""),
        required(values, "bootstrap-servers"),
        required(values, "topic"),
        positive(values, "events"),
        positive(values, "aggregates"),
        positive(values, "payload-bytes"),
        paced);
  }

  private static String required(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static int positive(Map<String, String> values, String name) {
    String value = required(values, name);
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the others
    }
    throw new IllegalArgumentException("--" + name + " must be a positive integer, was " + value);
  }
}
