package dev.outbox.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

class ConsoleAuthTest {

  private final ConsoleAuth basicOnly =
      ConsoleAuth.of(
          null,
          "alice",
          "right-password",
          false,
          new SignInThrottle(Clock.systemUTC(), 3, Duration.ofMinutes(1), 100));

  /**
   * Regression (review): any Authorization header was taken for a sign-in here, so a console behind
   * a proxy with its own basic authentication, or sent a scheme it does not use, answered 401 and
   * then 429 to every request.
   */
  @Test
  void credentialsOfAMethodTheConsoleDoesNotUseAreNoAttemptToSignIn() {
    for (int i = 0; i < 10; i++) {
      assertThat(basicOnly.user(request("Bearer a-token-for-something-else"))).isEmpty();
    }

    assertThat(basicOnly.user(request(basic("alice", "right-password")))).contains("alice");
  }

  @Test
  void wrongCredentialsOfItsOwnMethodAreRefusedAndThenSlowedDown() {
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> basicOnly.user(request(basic("alice", "guess"))))
          .isInstanceOfSatisfying(
              ConsoleException.class,
              e -> assertThat(e.status()).isEqualTo(HttpStatus.UNAUTHORIZED));
    }
    assertThatThrownBy(() -> basicOnly.user(request(basic("alice", "right-password"))))
        .isInstanceOfSatisfying(
            ConsoleException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS));
  }

  private static MockHttpServletRequest request(String authorization) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/outbox/api/session");
    request.setRemoteAddr("10.0.0.7");
    request.addHeader("Authorization", authorization);
    return request;
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
