package dev.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrowingPauseTest {

  @Test
  void doublesFromTheBaseUpToTheCapAndStartsOverAfterAReset() {
    GrowingPause pause = new GrowingPause(Duration.ofMillis(100), Duration.ofMillis(500));

    assertThat(pause.current()).isZero();
    assertThat(pause.next()).isEqualTo(Duration.ofMillis(100));
    assertThat(pause.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(pause.next()).isEqualTo(Duration.ofMillis(400));
    assertThat(pause.next()).isEqualTo(Duration.ofMillis(500));
    assertThat(pause.next()).isEqualTo(Duration.ofMillis(500));
    assertThat(pause.current()).isEqualTo(Duration.ofMillis(500));

    pause.reset();

    assertThat(pause.current()).isZero();
    assertThat(pause.next()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aCapBelowTheBaseNeverShortensTheBase() {
    GrowingPause pause = new GrowingPause(Duration.ofSeconds(20), Duration.ofSeconds(10));

    assertThat(pause.next()).isEqualTo(Duration.ofSeconds(20));
    assertThat(pause.next()).isEqualTo(Duration.ofSeconds(20));
  }
}
