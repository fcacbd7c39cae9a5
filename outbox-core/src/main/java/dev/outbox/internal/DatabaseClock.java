package dev.outbox.internal;

import dev.outbox.spi.Dialect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The database's time, read from a local clock: the local clock plus its offset from the database,
 * measured at start and again by every stuck-event check. Every dispatcher on one database then
 * compares due times and leases against the same time, however far their hosts' clocks disagree;
 * between two measurements only the local clock's drift (NTP slews a few ms a minute) counts.
 */
public final class DatabaseClock extends Clock {

  /** An offset above this is worth telling the operator about. */
  private static final Duration NOTABLE_OFFSET = Duration.ofSeconds(1);

  /** The offset, shared by the views of this clock in other time zones. */
  private static final class Offset {
    volatile Duration value = Duration.ZERO;
  }

  private final Clock local;
  private final Offset offset;

  public DatabaseClock(Clock local) {
    this(local, new Offset());
  }

  private DatabaseClock(Clock local, Offset offset) {
    this.local = local;
    this.offset = offset;
  }

  @Override
  public Instant instant() {
    return local.instant().plus(offset.value);
  }

  @Override
  public ZoneId getZone() {
    return local.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new DatabaseClock(local.withZone(zone), offset);
  }

  /** How far the database's time is ahead of the local clock, as last measured. */
  public Duration offset() {
    return offset.value;
  }

  /**
   * Measures the offset: the database's time against the middle of the local readings around the
   * query. A failure keeps the last offset.
   */
  public void synchronize(Transactions tx, Dialect dialect, Logger log) {
    Sql sql = new Sql(dialect);
    Duration measured =
        tx.inTransaction(
            "read the database's time",
            c -> {
              Instant before = local.instant();
              List<Instant> now =
                  sql.query(
                      c,
                      dialect.selectCurrentTime(),
                      rs -> Objects.requireNonNull(dialect.getInstant(rs, 1)));
              Instant after = local.instant();
              Instant middle = before.plus(Duration.between(before, after).dividedBy(2));
              return Duration.between(middle, now.get(0));
            });
    Duration previous = offset.value;
    offset.value = measured;
    boolean notable = measured.abs().compareTo(NOTABLE_OFFSET) > 0;
    boolean moved = measured.minus(previous).abs().compareTo(NOTABLE_OFFSET) > 0;
    if (notable && moved) {
      log.warn(
          "This host's clock is {} {} the database's; due times, leases and retention use the"
              + " database's time",
          measured.abs(),
          measured.isNegative() ? "ahead of" : "behind");
    } else {
      log.debug("Offset of the database's time from this host's clock: {}", measured);
    }
  }
}
