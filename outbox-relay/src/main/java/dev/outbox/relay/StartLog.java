package dev.outbox.relay;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * The relay's log while it starts, held back: written out once it has started, dropped if it fails.
 * A start that fails then leaves only its one line on standard error, not the hundred lines of a
 * start cut short (Spring Boot's, Tomcat's, the Kafka producer's settings) around it; a start that
 * succeeds logs what it always did, warnings included.
 */
final class StartLog extends TurboFilter
    implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

  /** A start logs a few hundred lines; a start that logs more keeps its first ones. */
  private static final int MAX_HELD = 10_000;

  private final List<HeldEvent> held = new ArrayList<>();
  private @Nullable LoggerContext loggers;
  private boolean holding = true;
  private int dropped;

  private record HeldEvent(Logger logger, LoggingEvent event) {}

  /**
   * Right after Spring Boot has configured logging, which drops filters added before, and before
   * the relay's checks of its settings, which may fail the start.
   */
  @Override
  public int getOrder() {
    return LoggingApplicationListener.DEFAULT_ORDER + 1;
  }

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext loggers) {
      this.loggers = loggers;
      start();
      loggers.addTurboFilter(this);
    }
  }

  @Override
  public FilterReply decide(
      @Nullable Marker marker,
      Logger logger,
      Level level,
      @Nullable String format,
      Object @Nullable [] params,
      @Nullable Throwable t) {
    // No format: a logger asks whether a level is on, and must go on to log what it then holds.
    if (format == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    synchronized (this) {
      if (!holding) {
        return FilterReply.NEUTRAL;
      }
      if (held.size() < MAX_HELD) {
        LoggingEvent event =
            new LoggingEvent(Logger.class.getName(), logger, level, format, t, params);
        if (marker != null) {
          event.addMarker(marker);
        }
        // Its thread, its message and its MDC as they are now, not when it is written.
        event.prepareForDeferredProcessing();
        held.add(new HeldEvent(logger, event));
      } else {
        dropped++;
      }
      return FilterReply.DENY;
    }
  }

  /** The relay has started: what it logged is written, in order, and logging goes on as usual. */
  synchronized void release() {
    stopHolding();
    for (HeldEvent event : held) {
      event.logger().callAppenders(event.event());
    }
    held.clear();
    if (dropped > 0) {
      LoggerFactory.getLogger(StartLog.class)
          .warn("{} more lines logged while the relay started were dropped", dropped);
    }
  }

  /** The start failed: what it logged is dropped, and logging goes on as usual. */
  synchronized void drop() {
    stopHolding();
    held.clear();
  }

  private void stopHolding() {
    holding = false;
    LoggerContext filtered = loggers;
    if (filtered != null) {
      filtered.getTurboFilterList().remove(this);
    }
    stop();
  }
}
