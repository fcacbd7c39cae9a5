package dev.outbox.internal;

/**
 * Checks that text is exactly one JSON document by RFC 8259, without building it: no maps, lists,
 * strings or numbers are made, so a payload of a megabyte costs one pass over its characters on the
 * caller's transaction thread. Beyond the grammar it refuses what a consumer's parser or the
 * database could not take: nesting deeper than {@value #MAX_DEPTH}, and surrogates that pair with
 * nothing, raw or escaped, which are no Unicode character.
 */
public final class JsonCheck extends JsonCursor {

  private JsonCheck(String text) {
    super(text);
  }

  /**
   * Returns normally when {@code text} is one JSON document.
   *
   * @throws Json.JsonException naming the first problem and its offset
   */
  public static void check(String text) {
    JsonCheck check = new JsonCheck(text);
    check.whitespace();
    check.value(0);
    check.end();
  }

  private void value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
    if (pos >= text.length()) {
      throw error("unexpected end of text");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> skipLiteral("true");
      case 'f' -> skipLiteral("false");
      case 'n' -> skipLiteral("null");
      default -> {
        if (c != '-' && !isDigit(c)) {
          throw error("unexpected character " + shown(c));
        }
        skipNumber();
      }
    }
  }

  private void object(int depth) {
    pos++;
    whitespace();
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      whitespace();
      if (peek() != '"') {
        throw error("expected a quoted member name");
      }
      string();
      whitespace();
      expect(':');
      whitespace();
      value(depth + 1);
      whitespace();
      char c = next();
      if (c == '}') {
        return;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private void array(int depth) {
    pos++;
    whitespace();
    if (peek() == ']') {
      pos++;
      return;
    }
    while (true) {
      whitespace();
      value(depth + 1);
      whitespace();
      char c = next();
      if (c == ']') {
        return;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private void string() {
    pos++;
    while (true) {
      char c = next();
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        pos--;
        throw error("unescaped control character " + shown(c) + " in a string");
      }
      if (c == '\\') {
        escape();
      } else if (Character.isHighSurrogate(c)) {
        if (!Character.isLowSurrogate(peek())) {
          pos--;
          throw error("a high surrogate not followed by a low one: no Unicode character");
        }
        pos++;
      } else if (Character.isLowSurrogate(c)) {
        pos--;
        throw error("a low surrogate without a high one before it: no Unicode character");
      }
    }
  }

  private void escape() {
    char e = next();
    switch (e) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
      case 'u' -> {
        char unit = hex4();
        if (Character.isHighSurrogate(unit)) {
          if (!text.startsWith("\\u", pos)) {
            throw error("a \\u escape of a high surrogate not followed by a low one");
          }
          pos += 2;
          if (!Character.isLowSurrogate(hex4())) {
            pos -= 6;
            throw error("a \\u escape of a high surrogate not followed by a low one");
          }
        } else if (Character.isLowSurrogate(unit)) {
          pos -= 6;
          throw error("a \\u escape of a low surrogate without a high one before it");
        }
      }
      default -> {
        pos -= 2;
        throw error("invalid escape '\\" + e + "'");
      }
    }
  }
}
