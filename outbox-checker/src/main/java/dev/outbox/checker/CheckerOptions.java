package dev.outbox.checker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One checker run: the engine, how much is written and how fast, how many dispatchers compete, and
 * how often faults come. {@link #small} is the configuration the test suite runs (one fault of each
 * kind), {@link #large} the long run with a fault every {@code faultEvery}.
 *
 * @param hotShare the fraction of events that go to the hot aggregates
 * @param faultEvery time between two faults, cycling through the kinds; {@code null} for the fixed
 *     schedule of one fault of each kind
 * @param clockSkew how far the second dispatcher's host clock runs ahead and the third's behind
 * @param brokerOutage one more broker outage, of this length, after the fixed schedule's faults;
 *     zero for none
 */
record CheckerOptions(
    String engine,
    int events,
    int eventsPerSecond,
    int writers,
    int dispatchers,
    double rollbackFraction,
    int hotAggregates,
    double hotShare,
    int coldAggregates,
    @Nullable Duration faultEvery,
    Duration clockSkew,
    Duration brokerOutage,
    Duration drainTimeout,
    Path directory) {

  static final Set<String> ENGINES = Set.of("postgresql", "mariadb", "h2");

  /** More than the dispatchers' lease: with host time, skewed hosts would take live leases. */
  static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

  static final String USAGE =
      """
      Usage: mvn -q -pl outbox-checker -am compile exec:exec -Dchecker.args="[options]"

      Tries to break the outbox's guarantees with crashes and outages against a real database and
      a real Kafka broker, then reads every topic back and counts lost, phantom, reordered and
      unexplained duplicate events. Exits with 0 when none, 1 otherwise, 2 for bad options.
        --engine NAME       postgresql (default), mariadb or h2, started embedded
        --small             20,000 events, one fault of each kind (default)
        --large             1,000,000 events at up to 2,000/s, a fault every 10 s
        --events N          events to write
        --rate N            events per second the writers aim at
        --dispatchers N     competing dispatchers, each in its own JVM
        --fault-every S     a fault every S seconds (more than the longest fault, 9 s)
        --clock-skew S      the 2nd dispatcher's host clock S seconds ahead, the 3rd's behind
                            (default 300; 0 for none)
        --broker-outage S   after the fixed schedule, the broker down for S seconds more (write
                            through it with --events and --rate; not with --fault-every)
        --aggregates N      N aggregates in all (few or many), a quarter of them hot
        --dir DIR           logs of every process (default target/checker)
        --help              this text
      """;

  CheckerOptions {
    if (!ENGINES.contains(engine)) {
      throw new IllegalArgumentException(
          "--engine must be one of postgresql, mariadb, h2, was '" + engine + "'");
    }
    requirePositive("--events", events);
    requirePositive("--rate", eventsPerSecond);
    requirePositive("--writers", writers);
    requirePositive("--dispatchers", dispatchers);
    if (rollbackFraction < 0 || rollbackFraction >= 1) {
      throw new IllegalArgumentException(
          "--rollback-fraction must be in [0, 1), was " + rollbackFraction);
    }
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException(
          "--clock-skew must be >= 0, was " + clockSkew.toSeconds() + " s");
    }
    if (brokerOutage.isNegative()) {
      throw new IllegalArgumentException(
          "--broker-outage must be >= 0, was " + brokerOutage.toSeconds() + " s");
    }
    if (faultEvery != null && !brokerOutage.isZero()) {
      throw new IllegalArgumentException(
          "--broker-outage joins the fixed schedule of faults; it cannot go with --fault-every");
    }
    if (faultEvery != null && faultEvery.compareTo(FaultKind.LONGEST) <= 0) {
      throw new IllegalArgumentException(
          "--fault-every must be longer than the longest fault ("
              + FaultKind.LONGEST.toSeconds()
              + " s), was "
              + faultEvery.toSeconds()
              + " s");
    }
  }

  /**
   * About 20,000 events in about 35 s, three dispatchers, one fault of each kind; five hot
   * aggregates take a fifth of the events, about 24 events/s each.
   */
  static CheckerOptions small(String engine, Path directory) {
    return new CheckerOptions(
        engine,
        20_000,
        600,
        4,
        3,
        0.1,
        5,
        0.2,
        2_000,
        null,
        DEFAULT_CLOCK_SKEW,
        Duration.ZERO,
        Duration.ofMinutes(3),
        directory);
  }

  /**
   * A million events, three dispatchers, a fault every 10 s while the writers run; twenty hot
   * aggregates take a tenth of the events, about 10 events/s each (one aggregate's events are
   * published one at a time, see docs/performance.md).
   */
  static CheckerOptions large(String engine, Path directory) {
    return new CheckerOptions(
        engine,
        1_000_000,
        2_000,
        4,
        3,
        0.1,
        20,
        0.1,
        50_000,
        Duration.ofSeconds(10),
        DEFAULT_CLOCK_SKEW,
        Duration.ZERO,
        Duration.ofMinutes(15),
        directory);
  }

  /** The largest difference between two of the dispatchers' host clocks. */
  Duration clockSpread() {
    return dispatchers >= 3
        ? clockSkew.multipliedBy(2)
        : dispatchers == 2 ? clockSkew : Duration.ZERO;
  }

  /** How long the writers write: events at the configured rate. */
  Duration writeDuration() {
    return Duration.ofMillis(1000L * events / eventsPerSecond);
  }

  static CheckerOptions parse(String[] args) {
    String engine = "postgresql";
    boolean large = false;
    Path directory = Path.of("target", "checker");
    Integer events = null;
    Integer rate = null;
    Integer dispatchers = null;
    Duration faultEvery = null;
    Duration clockSkew = null;
    Duration brokerOutage = null;
    Integer aggregates = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--engine" -> engine = value(args, ++i).toLowerCase(Locale.ROOT);
        case "--small" -> large = false;
        case "--large" -> large = true;
        case "--events" -> events = number(args, ++i);
        case "--rate" -> rate = number(args, ++i);
        case "--dispatchers" -> dispatchers = number(args, ++i);
        case "--fault-every" -> faultEvery = Duration.ofSeconds(number(args, ++i));
        case "--clock-skew" -> clockSkew = Duration.ofSeconds(number(args, ++i));
        case "--broker-outage" -> brokerOutage = Duration.ofSeconds(number(args, ++i));
        case "--aggregates" -> aggregates = number(args, ++i);
        case "--dir" -> directory = Path.of(value(args, ++i));
        default ->
            throw new IllegalArgumentException(
                "unknown option '" + args[i] + "'; --help lists the options");
      }
    }
    if (aggregates != null) {
      requirePositive("--aggregates", aggregates);
    }
    CheckerOptions o = large ? large(engine, directory) : small(engine, directory);
    return new CheckerOptions(
        o.engine,
        events != null ? events : o.events,
        rate != null ? rate : o.eventsPerSecond,
        o.writers,
        dispatchers != null ? dispatchers : o.dispatchers,
        o.rollbackFraction,
        aggregates != null ? Math.max(1, aggregates / 4) : o.hotAggregates,
        o.hotShare,
        aggregates != null ? Math.max(1, aggregates - aggregates / 4) : o.coldAggregates,
        faultEvery != null ? faultEvery : o.faultEvery,
        clockSkew != null ? clockSkew : o.clockSkew,
        brokerOutage != null ? brokerOutage : o.brokerOutage,
        o.drainTimeout,
        o.directory);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
  }

  private static int number(String[] args, int i) {
    String value = value(args, i);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          args[i - 1] + " must be a whole number, was '" + value + "'");
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }
}
