package dev.outbox.example;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The example's settings, from command-line options first and environment variables second. Without
 * a JDBC URL and bootstrap servers it runs on embedded servers.
 */
record ExampleOptions(
    @Nullable String jdbcUrl,
    String dbUser,
    String dbPassword,
    @Nullable String bootstrapServers,
    String embeddedDatabase,
    double rate,
    double failureRate,
    Duration duration) {

  static final String USAGE =
      """
      Usage: mvn -q -pl outbox-example -am compile exec:java [-Dexec.args="OPTIONS"]

      With no options the example starts an embedded database and an in-process Kafka broker.
        --jdbc-url URL            database to use instead (env OUTBOX_JDBC_URL),
                                  e.g. jdbc:mysql://localhost:3306/outbox_db
        --db-user USER            (env OUTBOX_DB_USER, default outbox_user)
        --db-password PASSWORD    (env OUTBOX_DB_PASSWORD, default outbox_pass)
        --bootstrap-servers LIST  Kafka to use instead (env OUTBOX_BOOTSTRAP_SERVERS),
                                  e.g. localhost:9092
        --embedded-db NAME        postgres (default) or mariadb, when no --jdbc-url is given
        --rate N                  also write N order events per second (default 0)
        --failure-rate F          fail this fraction of publishes, 0 to 0.9 (default 0),
                                  with short retry intervals so retries and dead letters show
        --duration SECONDS        stop by itself after this long (default: run until Ctrl+C)
        --help                    this text
      """;

  /** A bad option: the message says which and why; the caller prints it with the usage. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static ExampleOptions parse(String[] args, Map<String, String> env) {
    String jdbcUrl = env.get("OUTBOX_JDBC_URL");
    String user = env.getOrDefault("OUTBOX_DB_USER", "outbox_user");
    String password = env.getOrDefault("OUTBOX_DB_PASSWORD", "outbox_pass");
    String bootstrap = env.get("OUTBOX_BOOTSTRAP_SERVERS");
    String embedded = "postgres";
    double rate = 0;
    double failureRate = 0;
    Duration duration = Duration.ZERO;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        throw new UsageException("");
      }
      if (!option.startsWith("--")) {
        throw new UsageException("unexpected argument '" + option + "'");
      }
      if (i + 1 >= args.length) {
        throw new UsageException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--jdbc-url" -> jdbcUrl = requireJdbcUrl(value);
        case "--db-user" -> user = value;
        case "--db-password" -> password = value;
        case "--bootstrap-servers" -> bootstrap = value;
        case "--embedded-db" -> embedded = requireEmbedded(value);
        case "--rate" -> rate = number(option, value, 0, 10_000);
        case "--failure-rate" -> failureRate = number(option, value, 0, 0.9);
        case "--duration" -> duration = Duration.ofSeconds((long) number(option, value, 1, 86_400));
        default -> throw new UsageException("unknown option " + option);
      }
    }
    if (jdbcUrl != null) {
      requireJdbcUrl(jdbcUrl);
    }
    return new ExampleOptions(
        jdbcUrl, user, password, bootstrap, embedded, rate, failureRate, duration);
  }

  private static String requireJdbcUrl(String value) {
    if (!value.startsWith("jdbc:")) {
      throw new UsageException("--jdbc-url must start with 'jdbc:', was '" + value + "'");
    }
    return value;
  }

  private static String requireEmbedded(String value) {
    String name = value.toLowerCase(Locale.ROOT);
    if (!name.equals("postgres") && !name.equals("mariadb")) {
      throw new UsageException("--embedded-db must be postgres or mariadb, was '" + value + "'");
    }
    return name;
  }

  private static double number(String option, String value, double min, double max) {
    double parsed;
    try {
      parsed = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a number, was '" + value + "'");
    }
    if (!(parsed >= min && parsed <= max)) {
      throw new UsageException(
          option + " must be between " + min + " and " + max + ", was " + value);
    }
    return parsed;
  }
}
