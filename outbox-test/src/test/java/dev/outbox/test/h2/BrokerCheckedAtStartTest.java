package dev.outbox.test.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outbox.DatabaseType;
import dev.outbox.Dispatcher;
import dev.outbox.spi.BrokerAvailability;
import dev.outbox.test.RecordingPublisher;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Regression: a bootstrap address that answers nothing started without a warning, and showed only
 * when the first event failed to go out.
 */
class BrokerCheckedAtStartTest {

  private static final String LOGGER = "dev.outbox.test.BrokerCheckedAtStart";

  @Test
  void aBrokerThatDoesNotAnswerAtStartIsOneWarning() {
    assertThat(linesAfterAStartWith(BrokerAvailability.UNAVAILABLE, "unanswered"))
        .singleElement()
        .asString()
        .startsWith("WARN Outbox dispatcher ")
        .contains("started, but its broker does not answer (asked for PT3S)");
  }

  @Test
  void aBrokerThatAnswersAtStartIsNoWarning() {
    assertThat(linesAfterAStartWith(BrokerAvailability.AVAILABLE, "answered"))
        .singleElement()
        .asString()
        .startsWith("DEBUG The broker of outbox dispatcher ")
        .endsWith(": AVAILABLE");
  }

  /** The check's line, at the level it was logged, once it is there. */
  private static java.util.List<String> linesAfterAStartWith(
      BrokerAvailability availability, String database) {
    RecordingPublisher publisher = new RecordingPublisher();
    publisher.brokerAvailability(availability);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
    logger.setLevel(Level.DEBUG);
    logger.addAppender(log);
    try (Dispatcher dispatcher =
        Dispatcher.builder(H2Database.create("broker-check-" + database))
            .publisher(publisher)
            .dialect(DatabaseType.H2)
            .createSchema(true)
            .logger(logger)
            .build()) {
      dispatcher.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> !brokerLines(log).isEmpty());
      return brokerLines(log);
    } finally {
      logger.detachAppender(log);
    }
  }

  private static java.util.List<String> brokerLines(ListAppender<ILoggingEvent> log) {
    synchronized (log.list) {
      return log.list.stream()
          .filter(e -> e.getFormattedMessage().contains("broker"))
          .map(e -> e.getLevel() + " " + e.getFormattedMessage())
          .toList();
    }
  }
}
