package dev.outbox.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleOptionsTest {

  @Test
  void noOptionsMeansEmbeddedServersAndTheSpecificationsCredentials() {
    ExampleOptions options = ExampleOptions.parse(new String[0], Map.of());
    assertThat(options.jdbcUrl()).isNull();
    assertThat(options.bootstrapServers()).isNull();
    assertThat(options.dbUser()).isEqualTo("outbox_user");
    assertThat(options.dbPassword()).isEqualTo("outbox_pass");
    assertThat(options.duration()).isZero();
  }

  @Test
  void optionsWinOverEnvironmentVariables() {
    ExampleOptions options =
        ExampleOptions.parse(
            new String[] {
              "--jdbc-url", "jdbc:mysql://db:3306/x", "--rate", "50", "--duration", "30"
            },
            Map.of(
                "OUTBOX_JDBC_URL", "jdbc:mysql://env:3306/y",
                "OUTBOX_BOOTSTRAP_SERVERS", "kafka:9092",
                "OUTBOX_DB_USER", "u"));
    assertThat(options.jdbcUrl()).isEqualTo("jdbc:mysql://db:3306/x");
    assertThat(options.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(options.dbUser()).isEqualTo("u");
    assertThat(options.rate()).isEqualTo(50);
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    assertThatThrownBy(() -> parse("--rate", "fast"))
        .hasMessage("--rate must be a number, was 'fast'");
    assertThatThrownBy(() -> parse("--failure-rate", "1.5"))
        .hasMessage("--failure-rate must be between 0.0 and 0.9, was 1.5");
    assertThatThrownBy(() -> parse("--jdbc-url", "mysql://x"))
        .hasMessageContaining("must start with 'jdbc:'");
    assertThatThrownBy(() -> parse("--embedded-db", "oracle"))
        .hasMessageContaining("postgres or mariadb");
    assertThatThrownBy(() -> parse("--verbose", "yes")).hasMessage("unknown option --verbose");
    assertThatThrownBy(() -> parse("--rate")).hasMessage("--rate needs a value");
    assertThatThrownBy(() -> parse("extra")).hasMessage("unexpected argument 'extra'");
  }

  private static ExampleOptions parse(String... args) {
    return ExampleOptions.parse(args, Map.of());
  }
}
