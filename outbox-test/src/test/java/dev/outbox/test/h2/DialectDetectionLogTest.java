package dev.outbox.test.h2;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outbox.OutboxTables;
import dev.outbox.internal.Dialects;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DialectDetectionLogTest {

  /** Regression: "Outbox detected …" was logged at start and again at the first save. */
  @Test
  void aDatabaseDetectedTwiceIsReportedOnce() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(Dialects.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try (Connection first = DriverManager.getConnection("jdbc:h2:mem:dialects-once");
        Connection second = DriverManager.getConnection("jdbc:h2:mem:dialects-once");
        Connection other = DriverManager.getConnection("jdbc:h2:mem:dialects-other")) {
      Dialects.dialect(null, first, OutboxTables.defaults());
      Dialects.dialect(null, second, OutboxTables.defaults());
      Dialects.dialect(null, other, OutboxTables.defaults());
    } finally {
      logger.detachAppender(lines);
    }

    assertThat(lines.list)
        .filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("Outbox detected H2 (dialect H2)", "Outbox detected H2 (dialect H2)");
  }
}
