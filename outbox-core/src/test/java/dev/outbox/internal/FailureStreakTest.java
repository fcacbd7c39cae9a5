package dev.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureStreakTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final FailureStreak streak = new FailureStreak(nanos::get);

  private void pass(Duration time) {
    nanos.addAndGet(time.toNanos());
  }

  @Test
  void theFirstFailureStartsTheStreakAndTheLaterOnesDoNot() {
    assertThat(streak.active()).isFalse();
    assertThat(streak.length()).isZero();

    assertThat(streak.add(3)).isTrue();
    pass(Duration.ofSeconds(5));
    assertThat(streak.add(2)).isFalse();

    assertThat(streak.active()).isTrue();
    assertThat(streak.count()).isEqualTo(5);
    assertThat(streak.length()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aReminderIsDueOnceAMinuteWhileTheStreakLasts() {
    assertThat(streak.reminderDue()).as("no streak").isFalse();
    streak.add(1);

    pass(Duration.ofSeconds(59));
    assertThat(streak.reminderDue()).isFalse();
    pass(Duration.ofSeconds(1));
    assertThat(streak.reminderDue()).isTrue();
    assertThat(streak.reminderDue()).as("just reminded").isFalse();
    pass(Duration.ofSeconds(59));
    assertThat(streak.reminderDue()).isFalse();
    pass(Duration.ofSeconds(1));
    assertThat(streak.reminderDue()).isTrue();
  }

  @Test
  void anEndedStreakStartsAfreshWithItsCountAndClock() {
    streak.add(4);
    pass(Duration.ofMinutes(3));
    streak.end();

    assertThat(streak.active()).isFalse();
    assertThat(streak.reminderDue()).isFalse();
    pass(Duration.ofMinutes(1));
    assertThat(streak.add(1)).isTrue();
    assertThat(streak.count()).isEqualTo(1);
    assertThat(streak.length()).isZero();
    assertThat(streak.reminderDue()).as("a minute from the new start").isFalse();
  }
}
