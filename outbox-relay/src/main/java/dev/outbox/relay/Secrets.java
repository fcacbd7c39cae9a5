package dev.outbox.relay;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Keeps secrets out of what the relay logs and shows. */
final class Secrets {

  static final String MASK = "******";

  /** A setting whose name says it holds a secret: a password, a token, a JAAS line, a key. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|credential|jaas|private|api[._-]?key|ssl\\.key\\.).*");

  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)((?:password|passwd|pwd|secret|token)=)[^&;]*");
  private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

  private Secrets() {}

  /** The value, masked where it is or holds a secret. */
  static @Nullable String mask(String name, @Nullable String value) {
    if (value == null) {
      return null;
    }
    if (SECRET_NAME.matcher(name).matches()) {
      return MASK;
    }
    String masked = URL_PASSWORD.matcher(value).replaceAll("$1" + MASK);
    return URL_USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
  }
}
