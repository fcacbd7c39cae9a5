package dev.outbox.internal;

import dev.outbox.spi.Dialect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The database's time: read from the database at start and again by every stuck-event check, and
 * carried forward between two readings by the JVM's monotonic clock, so a host whose wall clock is
 * minutes off, or is stepped (NTP, a resumed VM), still agrees with every other dispatcher on the
 * database to within a round trip. Before the first reading it is the local clock.
 */
public final class DatabaseClock extends Clock {

  /** A host clock this far off the database's is worth telling the operator about. */
  private static final Duration NOTABLE_OFFSET = Duration.ofSeconds(1);

  /** A reading of the database's time and the monotonic time it stands for. */
  private record Reading(Instant databaseTime, long nanoTime) {}

  /** The readings, shared by the views of this clock in other time zones. */
  private static final class Readings {
    volatile @Nullable Reading last;
    volatile Duration warnedOffset = Duration.ZERO;
  }

  private final Clock local;
  private final Readings readings;

  public DatabaseClock(Clock local) {
    this(local, new Readings());
  }

  private DatabaseClock(Clock local, Readings readings) {
    this.local = local;
    this.readings = readings;
  }

  @Override
  public Instant instant() {
    Reading last = readings.last;
    if (last == null) {
      return local.instant();
    }
    return last.databaseTime().plusNanos(System.nanoTime() - last.nanoTime());
  }

  @Override
  public ZoneId getZone() {
    return local.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new DatabaseClock(local.withZone(zone), readings);
  }

  /**
   * Reads the database's time, standing for the middle of the query's round trip. A failure keeps
   * the last reading. Warns when the local clock is notably off the database's, once for each
   * notable change of that offset.
   */
  public void synchronize(Transactions tx, Dialect dialect, Logger log) {
    Sql sql = new Sql(dialect);
    Reading reading =
        tx.inTransaction(
            "read the database's time",
            c -> {
              long before = System.nanoTime();
              List<Instant> now =
                  sql.query(
                      c,
                      dialect.selectCurrentTime(),
                      rs -> Objects.requireNonNull(dialect.getInstant(rs, 1)));
              long after = System.nanoTime();
              return new Reading(now.get(0), before + (after - before) / 2);
            });
    readings.last = reading;
    Duration offset = Duration.between(local.instant(), instant());
    boolean notable = offset.abs().compareTo(NOTABLE_OFFSET) > 0;
    boolean changed = offset.minus(readings.warnedOffset).abs().compareTo(NOTABLE_OFFSET) > 0;
    if (notable && changed) {
      readings.warnedOffset = offset;
      log.warn(
          "This host's clock is {} {} the database's; due times, leases and retention use the"
              + " database's time",
          offset.abs(),
          offset.isNegative() ? "ahead of" : "behind");
    } else {
      log.debug("The database's time is {} ahead of this host's clock", offset);
    }
  }
}
