package dev.outbox.checker;

import dev.outbox.embedded.KafkaProcess;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects faults on a schedule while the writers run: either one of each kind at fixed times (and,
 * if asked for, a long broker outage after them), or one every {@code every}, cycling through the
 * kinds and the dispatchers, until {@link #finish()}. Every fault is over (broker up, dispatcher
 * running) when its step returns.
 */
final class FaultInjector implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

  /** When each fault of the fixed schedule starts, counted from the start of the writes. */
  private static final List<Duration> FIXED_TIMES =
      List.of(
          Duration.ofSeconds(4),
          Duration.ofSeconds(8),
          Duration.ofSeconds(11),
          Duration.ofSeconds(21));

  /** When the long broker outage starts: after every fault of the fixed schedule is over. */
  private static final Duration LONG_OUTAGE_AT = Duration.ofSeconds(30);

  private static final List<FaultKind> ORDER =
      List.of(
          FaultKind.KILL_DISPATCHER,
          FaultKind.KILL_CONNECTIONS,
          FaultKind.PAUSE_DISPATCHER,
          FaultKind.STOP_BROKER);

  private final List<DispatcherProcess> dispatchers;
  private final KafkaProcess kafka;
  private final CheckerDatabase database;
  private final @Nullable Duration every;
  private final Duration longOutage;
  private final List<Fault> faults = new ArrayList<>();
  private final CountDownLatch finished = new CountDownLatch(1);

  FaultInjector(
      List<DispatcherProcess> dispatchers,
      KafkaProcess kafka,
      CheckerDatabase database,
      @Nullable Duration every,
      Duration longOutage) {
    this.dispatchers = dispatchers;
    this.longOutage = longOutage;
    this.kafka = kafka;
    this.database = database;
    this.every = every;
  }

  /** Ends a periodic schedule after the fault under way; the fixed schedule always runs whole. */
  void finish() {
    finished.countDown();
  }

  synchronized List<Fault> faults() {
    return List.copyOf(faults);
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    try {
      for (int i = 0; every != null || i < FIXED_TIMES.size(); i++) {
        Duration at = every != null ? every.multipliedBy(i + 1) : FIXED_TIMES.get(i);
        long wait = start + at.toNanos() - System.nanoTime();
        if (every != null && finished.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
          return;
        }
        if (every == null && wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        // Each kind takes the dispatchers in turn, whatever their number.
        int round = i / ORDER.size();
        FaultKind kind = ORDER.get(i % ORDER.size());
        inject(kind, dispatchers.get((i + round) % dispatchers.size()), kind.length());
      }
      if (every == null && !longOutage.isZero()) {
        TimeUnit.NANOSECONDS.sleep(
            Math.max(0, start + LONG_OUTAGE_AT.toNanos() - System.nanoTime()));
        inject(FaultKind.STOP_BROKER, dispatchers.get(0), longOutage);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void inject(FaultKind kind, DispatcherProcess dispatcher, Duration length)
      throws InterruptedException {
    Instant start = Instant.now();
    int target = 0;
    switch (kind) {
      case KILL_DISPATCHER -> {
        target = dispatcher.slot();
        dispatcher.kill();
        dispatcher.restart();
      }
      case KILL_CONNECTIONS -> {
        try {
          database.killConnections();
        } catch (SQLException e) {
          throw new IllegalStateException("Could not kill the database connections", e);
        }
      }
      case PAUSE_DISPATCHER -> {
        target = dispatcher.slot();
        dispatcher.suspend();
        TimeUnit.MILLISECONDS.sleep(length.toMillis());
        dispatcher.resume();
      }
      case STOP_BROKER -> {
        kafka.stopBroker();
        TimeUnit.MILLISECONDS.sleep(length.toMillis());
        kafka.startBroker();
      }
    }
    Fault fault = new Fault(kind, target, start, Instant.now());
    LOG.info(
        "Injected {} (over after {} ms)", fault, fault.end().toEpochMilli() - start.toEpochMilli());
    synchronized (this) {
      faults.add(fault);
    }
  }
}
