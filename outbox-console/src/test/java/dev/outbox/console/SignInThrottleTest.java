package dev.outbox.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbox.test.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The token bucket of failed sign-ins, on a clock moved by hand. */
class SignInThrottleTest {

  private final TestClock clock = TestClock.startingNow();
  private final SignInThrottle throttle = new SignInThrottle(clock, 5, Duration.ofSeconds(12), 3);

  @Test
  void fiveTriesThenAPauseForEachTryBack() {
    for (int i = 0; i < 5; i++) {
      assertThat(throttle.take("10.0.0.5")).as("try %d", i + 1).isEmpty();
    }
    assertThat(throttle.take("10.0.0.5")).contains(Duration.ofSeconds(12));
    clock.advance(Duration.ofSeconds(5));
    // Asking again while it waits costs nothing and says what is left of the wait.
    assertThat(throttle.take("10.0.0.5")).contains(Duration.ofSeconds(7));
    clock.advance(Duration.ofSeconds(7));
    assertThat(throttle.take("10.0.0.5")).isEmpty();
    assertThat(throttle.take("10.0.0.5")).contains(Duration.ofSeconds(12));
  }

  @Test
  void eachClientHasItsOwnBucket() {
    for (int i = 0; i < 5; i++) {
      throttle.take("10.0.0.5");
    }
    assertThat(throttle.take("10.0.0.5")).isPresent();
    assertThat(throttle.take("10.0.0.6")).isEmpty();
  }

  /**
   * Regression (review): a success gave every try back, so a signed-in page polling from a
   * guesser's address (a shared proxy) refilled the guesser's bucket every two seconds.
   */
  @Test
  void aSuccessGivesBackOnlyTheTryItTook() {
    for (int i = 0; i < 3; i++) {
      throttle.take("10.0.0.5"); // guesses
    }
    for (int poll = 0; poll < 10; poll++) {
      assertThat(throttle.take("10.0.0.5")).isEmpty();
      throttle.succeeded("10.0.0.5"); // a signed-in page's poll
    }
    assertThat(throttle.take("10.0.0.5")).isEmpty();
    assertThat(throttle.take("10.0.0.5")).isEmpty();
    assertThat(throttle.take("10.0.0.5")).as("the guesses' tries are still spent").isPresent();
  }

  @Test
  void remembersABoundedNumberOfClientsTheLeastRecentlySeenForgottenFirst() {
    for (int i = 0; i < 1_000; i++) {
      throttle.take("10.0.0." + i);
    }
    assertThat(throttle.remembered()).isEqualTo(3);
  }

  @Test
  void refusesSettingsThatWouldNotSlowAnythingDown() {
    assertThatThrownBy(() -> new SignInThrottle(clock, 0, Duration.ofSeconds(1), 3))
        .hasMessageContaining("outbox.console.max-failed-sign-ins");
    assertThatThrownBy(() -> new SignInThrottle(clock, 5, Duration.ZERO, 3))
        .hasMessageContaining("outbox.console.failed-sign-in-pause");
  }
}
