package dev.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The payload check against a corpus of RFC 8259's grammar (json-corpus.txt: structure, literals,
 * numbers, strings, escapes, whitespace) and the cases a text file cannot hold: raw control
 * characters, lone surrogates, depth and size.
 */
class JsonCheckTest {

  static Stream<Arguments> corpus() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    try (InputStream in =
            Objects.requireNonNull(JsonCheckTest.class.getResourceAsStream("json-corpus.txt"));
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#")) {
          continue;
        }
        int tab = line.indexOf('\t');
        String json =
            line.substring(tab + 1)
                .replace("<TAB>", "\t")
                .replace("<CR>", "\r")
                .replace("<LF>", "\n");
        cases.add(Arguments.of(line.substring(0, tab).equals("accept"), json));
      }
    }
    return cases.stream();
  }

  static Stream<Arguments> beyondAText() {
    return Stream.of(
        Arguments.of(false, "\"raw\u0001control\""),
        Arguments.of(false, "\"raw\ttab\""),
        Arguments.of(false, "\"raw\nnewline\""),
        Arguments.of(false, "\"nul \u0000 inside\""),
        Arguments.of(false, "\"lone high \ud800 here\""),
        Arguments.of(false, "\"lone high at the end \ud800\""),
        Arguments.of(false, "\"lone low \udc00 here\""),
        Arguments.of(false, "\"swapped \udc00\ud800\""),
        Arguments.of(true, "\"a pair \ud83d\ude00\""),
        Arguments.of(true, "[".repeat(512) + "]".repeat(512)),
        Arguments.of(false, "[".repeat(514) + "]".repeat(514)),
        Arguments.of(true, "{\"blob\":\"" + "x".repeat(1024 * 1024) + "\"}"),
        Arguments.of(false, "{\"blob\":\"" + "x".repeat(1024 * 1024) + "}"));
  }

  @ParameterizedTest(name = "{index}: accept={0} {1}")
  @MethodSource({"corpus", "beyondAText"})
  void acceptsWhatRfc8259AcceptsAndRefusesTheRestNamingTheOffset(boolean accepted, String json) {
    if (accepted) {
      assertThatCode(() -> JsonCheck.check(json)).doesNotThrowAnyException();
      // What the check lets through, the reader of the headers column reads too.
      assertThatCode(() -> Json.parse(json)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> JsonCheck.check(json))
          .isInstanceOf(Json.JsonException.class)
          .hasMessageStartingWith("is not valid JSON: ")
          .hasMessageContaining(" at offset ");
    }
  }

  @Test
  void theCorpusHoldsAtLeastFiftyCasesOfEach() throws IOException {
    assertThat(corpus().filter(c -> (boolean) c.get()[0]).count()).isGreaterThanOrEqualTo(50);
    assertThat(corpus().filter(c -> !(boolean) c.get()[0]).count()).isGreaterThanOrEqualTo(50);
  }
}
