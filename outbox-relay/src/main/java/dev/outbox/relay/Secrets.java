package dev.outbox.relay;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Keeps secrets out of what the relay logs and shows. */
final class Secrets {

  static final String MASK = "******";

  private static final String[] SECRET_WORDS = {
    "password", "passwd", "passphrase", "secret", "token", "credential", "jaas", "user.info"
  };
  private static final Pattern NAME_SEPARATORS = Pattern.compile("[.\\-_]");
  private static final Pattern URL_PASSWORD =
      Pattern.compile("(?i)((?:password|passwd|pwd|secret|token)=)[^&;]*");

  /** {@code //user:password@host}: up to the last {@code @} before the path. */
  private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/:@]+:)[^/]*@");

  private Secrets() {}

  /**
   * Whether a setting's name says it holds a secret. Errs on the side of masking, as the Kafka
   * publisher's own log does: a password, passphrase, token, JAAS line, or a name segment ending in
   * "key" ({@code ssl.keystore.key}, {@code api-key}), but not Kafka's {@code key.serializer}.
   */
  static boolean isSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String word : SECRET_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return !lower.startsWith("key.")
        && NAME_SEPARATORS.splitAsStream(lower).anyMatch(segment -> segment.endsWith("key"));
  }

  /** The value, masked where it is or holds a secret. */
  static @Nullable String mask(String name, @Nullable String value) {
    if (value == null) {
      return null;
    }
    if (isSecret(name)) {
      return MASK;
    }
    String masked = URL_PASSWORD.matcher(value).replaceAll("$1" + MASK);
    return URL_USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@");
  }
}
