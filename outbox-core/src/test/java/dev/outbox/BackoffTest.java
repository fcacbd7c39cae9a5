package dev.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void exponentialDoublesFromTheBaseUpToTheCap() {
    Backoff backoff = Backoff.exponential(Duration.ofMinutes(1), Duration.ofMinutes(30));
    assertThat(IntStream.rangeClosed(1, 8).mapToObj(backoff::delay).map(Duration::toMinutes))
        .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    assertThat(backoff.delay(1000)).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void fixedAndLinear() {
    assertThat(Backoff.fixed(Duration.ofSeconds(5)).delay(9)).isEqualTo(Duration.ofSeconds(5));
    Backoff linear =
        Backoff.linear(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(22));
    assertThat(IntStream.rangeClosed(1, 4).mapToObj(linear::delay).map(Duration::getSeconds))
        .containsExactly(10L, 15L, 20L, 22L);
  }

  @Test
  void jitterStaysWithinItsFactor() {
    Backoff jittered = Backoff.fixed(Duration.ofSeconds(100)).withJitter(0.2);
    for (int i = 0; i < 200; i++) {
      assertThat(jittered.delay(1)).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(120));
    }
  }

  @Test
  void badArgumentsAreNamed() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofMinutes(1)))
        .hasMessage("base must be > 0, was PT0S");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofSeconds(1)).withJitter(1.5))
        .hasMessageContaining("jitter factor must be > 0 and < 1, was 1.5");
    assertThatThrownBy(
            () ->
                Backoff.linear(
                    Duration.ofSeconds(1), Duration.ofSeconds(-1), Duration.ofSeconds(5)))
        .hasMessageContaining("increment must be >= 0");
  }
}
