package dev.outbox.internal;

/**
 * A position in JSON text and the steps that reading it ({@link Json#parse}) and checking it
 * ({@link JsonCheck}) share: whitespace, literals, numbers by RFC 8259's grammar, {@code \\u}
 * escapes, and errors that name the offset.
 */
abstract class JsonCursor {

  static final int MAX_DEPTH = 512;

  final String text;
  int pos;

  JsonCursor(String text) {
    this.text = text;
  }

  /** After the value: nothing but whitespace may follow. */
  final void end() {
    whitespace();
    if (pos != text.length()) {
      throw error("unexpected text after the JSON value");
    }
  }

  final void whitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  final char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  final char next() {
    if (pos >= text.length()) {
      throw error("unexpected end of text");
    }
    return text.charAt(pos++);
  }

  final void expect(char c) {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  /** Steps over one of {@code true}, {@code false}, {@code null}. */
  final void skipLiteral(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected character " + shown(text.charAt(pos)));
    }
    pos += word.length();
  }

  /** Steps over a number: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
  final void skipNumber() {
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("invalid number: a digit must follow '-'");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("invalid number: a digit must follow '.'");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("invalid number: the exponent needs a digit");
      }
      digits();
    }
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** The four hex digits of a {@code \\u} escape, after the {@code u}. */
  final char hex4() {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos + i), 16);
      if (digit < 0) {
        throw error("invalid \\u escape");
      }
      value = value * 16 + digit;
    }
    pos += 4;
    return (char) value;
  }

  static String shown(char c) {
    return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }

  final Json.JsonException error(String problem) {
    return new Json.JsonException("is not valid JSON: " + problem + " at offset " + pos);
  }
}
