package dev.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "0",
        "-1.5e+3",
        "\"\\u00e9\\n\"",
        "true",
        "null",
        " {\"a\" : [1, {\"b\": null}], \"c\": \"d\"} "
      })
  void acceptsWellFormedJson(String json) {
    Json.parse(json);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "01",
        "1.",
        "tru",
        "\"unterminated",
        "{'a': 1}",
        "\"bad \\x escape\"",
        "[1] [2]",
        "\"tab\there\""
      })
  void refusesMalformedJson(String json) {
    assertThatThrownBy(() -> Json.parse(json))
        .isInstanceOf(Json.JsonException.class)
        .hasMessageContaining("at offset");
  }

  @Test
  void writtenJsonParsesBackToTheSameValues() {
    Map<String, Object> value = Map.of("s", "q\"\\\u0001", "l", List.of(1, 2.5), "b", false);
    Object parsed = Json.parse(Json.write(value));
    assertThat(parsed)
        .isEqualTo(
            Map.of(
                "s",
                "q\"\\\u0001",
                "l",
                List.of(new BigDecimal("1"), new BigDecimal("2.5")),
                "b",
                false));
  }

  @Test
  void refusesNestingDeeperThanTheLimit() {
    assertThatThrownBy(() -> Json.parse("[".repeat(600) + "]".repeat(600)))
        .hasMessageContaining("nested deeper");
  }
}
