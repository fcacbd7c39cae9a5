package dev.outbox.console;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Who sent a request: the user the application's own security signed in, or the holder of the
 * console's token ({@code Authorization: Bearer …}), or its user by basic authentication; and
 * whether they may read. The console never asks the browser to remember credentials (no {@code
 * WWW-Authenticate}): its page sends them on each request. A user signed in by the application's
 * session cookie could be borrowed by a cross-site request, which is why every change also passes
 * {@link CsrfGuard}.
 */
final class ConsoleAuth {

  static final String TOKEN_USER = "token";

  private final byte @Nullable [] token;
  private final @Nullable String username;
  private final byte @Nullable [] password;
  private final boolean anonymousRead;
  private final SignInThrottle throttle;

  private ConsoleAuth(
      byte @Nullable [] token,
      @Nullable String username,
      byte @Nullable [] password,
      boolean anonymousRead,
      SignInThrottle throttle) {
    this.token = token;
    this.username = username;
    this.password = password;
    this.anonymousRead = anonymousRead;
    this.throttle = throttle;
  }

  /**
   * @param anonymousRead whether the backlog and the dead letters may be read without signing in
   *     ({@code outbox.console.anonymous-read})
   * @param throttle what slows down the failed sign-ins of one client
   */
  static ConsoleAuth of(
      @Nullable String token,
      @Nullable String username,
      @Nullable String password,
      boolean anonymousRead,
      SignInThrottle throttle) {
    if (token != null && token.length() < 16) {
      throw new IllegalArgumentException(
          "outbox.console.token must be at least 16 characters, was " + token.length());
    }
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException(
          "outbox.console.username and outbox.console.password go together: set both or neither");
    }
    if (password != null && password.length() < 8) {
      throw new IllegalArgumentException(
          "outbox.console.password must be at least 8 characters, was " + password.length());
    }
    if (username != null && (username.isBlank() || username.contains(":"))) {
      throw new IllegalArgumentException(
          "outbox.console.username must not be blank nor contain ':', was '" + username + "'");
    }
    return new ConsoleAuth(bytes(token), username, bytes(password), anonymousRead, throttle);
  }

  /** Whether reading needs no sign-in. */
  boolean anonymousRead() {
    return anonymousRead;
  }

  /** The ways to sign in that are configured: {@code token}, {@code basic}. */
  List<String> methods() {
    List<String> methods = new ArrayList<>();
    if (token != null) {
      methods.add("token");
    }
    if (username != null) {
      methods.add("basic");
    }
    return methods;
  }

  /**
   * The request's user, if it has one. Credentials sent are a sign-in attempt, slowed down per
   * client ({@link SignInThrottle}): wrong ones are answered 401 whatever the request was for, and
   * an address that sent too many is answered 429 before they are checked.
   */
  Optional<String> user(HttpServletRequest request) {
    Principal principal = request.getUserPrincipal();
    if (principal != null) {
      return Optional.of(principal.getName());
    }
    String header = request.getHeader("Authorization");
    if (header == null || !offersConfiguredMethod(header)) {
      // Credentials for something else (a proxy's own basic authentication, say) are no attempt
      // to sign in here.
      return Optional.empty();
    }
    String client = request.getRemoteAddr();
    Optional<Duration> wait = throttle.take(client);
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      throw new ConsoleException(
          HttpStatus.TOO_MANY_REQUESTS,
          "too many failed sign-ins from " + client + ": try again in " + seconds + " s",
          Duration.ofSeconds(seconds));
    }
    Optional<String> user = check(header);
    if (user.isEmpty()) {
      throw new ConsoleException(
          HttpStatus.UNAUTHORIZED, "the credentials sent are wrong: sign in again");
    }
    throttle.succeeded(client);
    return user;
  }

  private boolean offersConfiguredMethod(String header) {
    return (token != null && header.regionMatches(true, 0, "Bearer ", 0, 7))
        || (username != null && header.regionMatches(true, 0, "Basic ", 0, 6));
  }

  /** The user these credentials sign in, if they do. */
  private Optional<String> check(String header) {
    if (token != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return matches(token, header.substring(7).strip())
          ? Optional.of(TOKEN_USER)
          : Optional.empty();
    }
    if (username != null && password != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        // Both compared, whichever is wrong, so the time taken does not tell.
        boolean userMatches =
            matches(username.getBytes(StandardCharsets.UTF_8), decoded.substring(0, colon));
        boolean passwordMatches = matches(password, decoded.substring(colon + 1));
        if (userMatches && passwordMatches) {
          return Optional.of(username);
        }
      }
    }
    return Optional.empty();
  }

  /** The request's user; a 401 without one. */
  String requireUser(HttpServletRequest request, String toDo) {
    return user(request).orElseThrow(() -> unauthorized(toDo));
  }

  /**
   * The request's user, if it has one, when it may read: reading needs a user unless {@code
   * outbox.console.anonymous-read} is on; a 401 otherwise.
   */
  Optional<String> requireReader(HttpServletRequest request) {
    Optional<String> user = user(request);
    if (user.isEmpty() && !anonymousRead) {
      throw unauthorized("read the outbox");
    }
    return user;
  }

  private ConsoleException unauthorized(String toDo) {
    // Wrong credentials were refused by user(): these requests sent none.
    return new ConsoleException(
        HttpStatus.UNAUTHORIZED, "sign in to " + toDo + (methods().isEmpty() ? noMethod() : ""));
  }

  private static String noMethod() {
    return ": the console has no user; set outbox.console.token, or outbox.console.username and"
        + " outbox.console.password";
  }

  private static boolean matches(byte[] expected, String given) {
    // Digests of equal length, so the comparison takes as long whatever was given.
    return MessageDigest.isEqual(sha256(expected), sha256(given.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte @Nullable [] bytes(@Nullable String value) {
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }
}
