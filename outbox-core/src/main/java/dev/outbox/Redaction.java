package dev.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Free text with credentials masked: an error can quote a connection URL, a setting or a request
 * header, and none may leave the process with a secret in it. The one rule for every text that
 * does: the errors the dispatcher records and logs (masked where they arise, so the tables hold
 * them masked), and what the console, the actuator endpoint and the command line show (masked
 * again, for rows written before); a surface of your own can apply it too. Masking comes before any
 * cut, so a cut cannot leave half a secret unmasked.
 */
public final class Redaction {

  /** What a secret is replaced by. */
  public static final String MASK = "******";

  private static final Pattern URL_CREDENTIALS = Pattern.compile("(://)[^/@\\s]+@");
  private static final Pattern AUTHORIZATION =
      Pattern.compile("(?i)\\b(Bearer|Basic|Digest)\\s+[A-Za-z0-9._~+/=-]+");
  // A setting or a JSON field whose name says secret: key=value, key: value, "key":"value".
  private static final Pattern SECRET_SETTING =
      Pattern.compile(
          "(?i)(\"?[\\w.-]*(?:password|passwd|pwd|secret|token|api[_.-]?key|credentials?)"
              + "[\\w.-]*\"?\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&)}]+)");

  private static final int DESCRIBED_LENGTH = 400;

  private Redaction() {}

  /**
   * A failure as one line for an operator: the messages of its causes that add something, masked
   * before the line is cut to 400 characters.
   *
   * @param failure the failure to describe
   * @return one line of at most 400 characters
   */
  public static String describe(Throwable failure) {
    List<String> messages = new ArrayList<>();
    String previous = "";
    int depth = 0;
    for (@Nullable Throwable t = failure; t != null && messages.size() < 4 && depth++ < 10; ) {
      String message = t.getMessage();
      String text =
          (message == null || message.isBlank() ? t.getClass().getSimpleName() : message)
              .replaceAll("\\s+", " ")
              .strip();
      if (!previous.contains(text)) {
        messages.add(text);
      }
      previous = text;
      t = t.getCause();
    }
    String line = mask(String.join(": ", messages));
    return line.length() <= DESCRIBED_LENGTH ? line : line.substring(0, DESCRIBED_LENGTH - 1) + "…";
  }

  /**
   * The text with its credentials masked; {@code null} stays {@code null}.
   *
   * @param text the text, or {@code null}
   * @return the masked text, or {@code null}
   */
  public static @Nullable String text(@Nullable String text) {
    return text == null ? null : mask(text);
  }

  /**
   * The text with URL credentials ({@code user:password@}), {@code Bearer}/{@code Basic}/{@code
   * Digest} values and the values of settings or JSON fields whose names say secret ({@code
   * password=…}, {@code "token": "…"}) replaced by {@link #MASK}.
   *
   * @param text the text to mask
   * @return the masked text; the text itself when nothing in it looks secret
   */
  public static String mask(String text) {
    String masked = URL_CREDENTIALS.matcher(text).replaceAll("$1" + MASK + "@");
    masked = AUTHORIZATION.matcher(masked).replaceAll("$1 " + MASK);
    return SECRET_SETTING.matcher(masked).replaceAll("$1" + MASK);
  }
}
