package dev.outbox.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;

/**
 * Refuses a change that another site's page sent: it must come from the console's own origin and
 * echo, in a header, the random value of a cookie only the console's origin can read (the
 * double-submit pattern). The cookie is {@code SameSite=Strict} besides.
 */
final class CsrfGuard {

  static final String COOKIE = "outbox-console-csrf";
  static final String HEADER = "X-Outbox-Csrf";

  private static final SecureRandom RANDOM = new SecureRandom();

  private CsrfGuard() {}

  /**
   * Gives the browser its cookie unless it has one. Its path is the whole site's: the console may
   * sit behind a servlet path or a proxy's prefix that the server cannot see.
   */
  static void issue(HttpServletRequest request, HttpServletResponse response) {
    if (cookie(request) != null) {
      return;
    }
    byte[] value = new byte[32];
    RANDOM.nextBytes(value);
    ResponseCookie cookie =
        ResponseCookie.from(COOKIE, Base64.getUrlEncoder().withoutPadding().encodeToString(value))
            .path("/")
            .sameSite("Strict")
            .secure(request.isSecure())
            .httpOnly(false) // the page reads it to send it back in the header
            .build();
    response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
  }

  static void check(HttpServletRequest request) {
    if ("cross-site".equals(request.getHeader("Sec-Fetch-Site"))) {
      throw refused("it came from another site");
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !sameOrigin(origin, request)) {
      throw refused("it came from " + origin);
    }
    String cookie = cookie(request);
    String header = request.getHeader(HEADER);
    if (cookie == null || header == null) {
      throw refused("it lacks the console's " + HEADER + " header or cookie; reload the page");
    }
    if (!MessageDigest.isEqual(
        cookie.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
      throw refused("its " + HEADER + " header does not match the console's cookie");
    }
  }

  /**
   * Whether the page that sent the request was served by the origin the request went to: the same
   * scheme, host and port. The scheme is the request's, which honours a proxy's {@code
   * X-Forwarded-Proto} when {@code server.forward-headers-strategy} is set; the host and port as
   * the browser named them ({@code Host}), or as the server sees itself, which honours a proxy's
   * forwarded host likewise. {@link HostCheck} has made sure the console answers to both names.
   */
  private static boolean sameOrigin(String origin, HttpServletRequest request) {
    URI from;
    try {
      from = URI.create(origin);
    } catch (IllegalArgumentException e) {
      return false;
    }
    String host = from.getHost();
    String scheme = request.getScheme();
    // An https page is another origin than the http console (and the other way round).
    if (host == null || !scheme.equalsIgnoreCase(from.getScheme())) {
      return false;
    }
    int port = port(from.getPort(), scheme);
    String hostHeader = request.getHeader(HttpHeaders.HOST);
    if (hostHeader != null) {
      URI named;
      try {
        named = URI.create(scheme + "://" + hostHeader);
      } catch (IllegalArgumentException e) {
        return false;
      }
      if (host.equalsIgnoreCase(named.getHost()) && port == port(named.getPort(), scheme)) {
        return true;
      }
    }
    return host.equalsIgnoreCase(request.getServerName()) && port == request.getServerPort();
  }

  private static int port(int port, @Nullable String scheme) {
    return port != -1 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }

  private static @Nullable String cookie(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie cookie : cookies) {
      if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
        return cookie.getValue();
      }
    }
    return null;
  }

  private static ConsoleException refused(String why) {
    return new ConsoleException(HttpStatus.FORBIDDEN, "change refused: " + why);
  }
}
