package dev.outbox.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckerOptionsTest {

  @Test
  void largeRunIsAMillionEventsThreeDispatchersAndAFaultEveryTenSeconds() {
    CheckerOptions o = CheckerOptions.parse(new String[] {"--large", "--engine", "mariadb"});

    assertThat(o.engine()).isEqualTo("mariadb");
    assertThat(o.events()).isEqualTo(1_000_000);
    assertThat(o.dispatchers()).isEqualTo(3);
    assertThat(o.faultEvery()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void smallRunIsTheDefaultWithTheFixedSchedule() {
    CheckerOptions o = CheckerOptions.parse(new String[0]);

    assertThat(o.engine()).isEqualTo("postgresql");
    assertThat(o.events()).isEqualTo(20_000);
    assertThat(o.faultEvery()).isNull();
  }

  @Test
  void aLongBrokerOutageOverFewAggregates() {
    CheckerOptions o =
        CheckerOptions.parse(new String[] {"--broker-outage", "240", "--aggregates", "10"});

    assertThat(o.brokerOutage()).isEqualTo(Duration.ofMinutes(4));
    assertThat(o.hotAggregates() + o.coldAggregates()).isEqualTo(10);
    assertThat(CheckerOptions.small("h2", o.directory()).brokerOutage()).isZero();
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    assertThatThrownBy(
            () -> CheckerOptions.parse(new String[] {"--large", "--broker-outage", "60"}))
        .hasMessageContaining("--broker-outage")
        .hasMessageContaining("--fault-every");
    assertThatThrownBy(() -> CheckerOptions.parse(new String[] {"--aggregates", "0"}))
        .hasMessage("--aggregates must be > 0, was 0");
    assertThatThrownBy(() -> CheckerOptions.parse(new String[] {"--engine", "oracle"}))
        .hasMessage("--engine must be one of postgresql, mariadb, h2, was 'oracle'");
    assertThatThrownBy(() -> CheckerOptions.parse(new String[] {"--events", "many"}))
        .hasMessage("--events must be a whole number, was 'many'");
    assertThatThrownBy(() -> CheckerOptions.parse(new String[] {"--dispatchers", "0"}))
        .hasMessage("--dispatchers must be > 0, was 0");
    assertThatThrownBy(() -> CheckerOptions.parse(new String[] {"--fault-every", "5"}))
        .hasMessageStartingWith("--fault-every must be longer than the longest fault");
    assertThatThrownBy(() -> CheckerOptions.parse(new String[] {"--rate"}))
        .hasMessage("--rate needs a value");
  }
}
