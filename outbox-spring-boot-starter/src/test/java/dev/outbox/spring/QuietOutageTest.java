package dev.outbox.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.outbox.Dispatcher;
import dev.outbox.OutboxEvent;
import dev.outbox.OutboxWriter;
import dev.outbox.embedded.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Regression: in a Spring Boot application with default log levels, a broker outage filled the log.
 * The publisher's availability check (a Kafka admin client) logged "Rebootstrapping with
 * Cluster(…)" at INFO thousands of times a second (75,000 lines in a 40 s outage), and the
 * producer's network client several lines a second. Now an outage adds a few lines a minute, and
 * the check costs little CPU.
 *
 * <p>The outage lasts {@code -Doutbox.quiet-outage.seconds} (20 by default) once the dispatcher
 * noticed it. The lines from the broker's stop to the drain after its return, and the Kafka
 * clients' CPU time during the outage, are printed as one line starting {@code quiet-outage:}.
 */
class QuietOutageTest {

  private static final String CLIENT_ID = "quiet-outage";
  private static final String TOPIC = "quiet";
  private static final Duration OUTAGE =
      Duration.ofSeconds(Long.getLong("outbox.quiet-outage.seconds", 20));

  /**
   * The dispatcher's own lines of an outage: one when it starts, one a minute while it lasts, one
   * at its end.
   */
  private static int linesAllowed(Duration outage) {
    return 2 + (int) outage.toMinutes();
  }

  @Test
  void aBrokerOutageAddsAFewLinesAMinuteToTheLogOfAnApplicationWithDefaultLevels()
      throws SQLException {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic(TOPIC, 1);
      try (ConfigurableApplicationContext context =
          new SpringApplicationBuilder(App.class)
              .web(WebApplicationType.NONE)
              .properties(
                  Map.of(
                      "spring.main.banner-mode", "off",
                      "spring.datasource.url", "jdbc:h2:mem:quiet-outage;DB_CLOSE_DELAY=-1",
                      "spring.kafka.bootstrap-servers", kafka.bootstrapServers(),
                      "outbox.create-schema", "true",
                      "outbox.poll-interval", "100ms",
                      "outbox.kafka.properties.client.id", CLIENT_ID,
                      "outbox.kafka.properties.delivery.timeout.ms", "4000",
                      "outbox.kafka.properties.request.timeout.ms", "2000"))
              .run()) {
        Dispatcher dispatcher = context.getBean(Dispatcher.class);
        DataSource dataSource = context.getBean(DataSource.class);
        write(dataSource, "before");
        await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.metrics().published() == 1);

        log.start();
        root().addAppender(log);
        kafka.stop();
        write(dataSource, "during");
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> String.valueOf(processorError(dispatcher)).contains("broker unavailable"));
        long cpuBefore = clientThreadsCpuNanos();
        // The outage's length is what is measured: nothing is published all along.
        await()
            .during(OUTAGE)
            .atMost(OUTAGE.plusSeconds(5))
            .until(() -> dispatcher.metrics().published() == 1);
        long cpu = clientThreadsCpuNanos() - cpuBefore;
        kafka.restart();
        await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.metrics().published() == 2);
        root().detachAppender(log);
        List<ILoggingEvent> lines = ours(log);

        System.out.printf(
            "quiet-outage: outage=%ds lines=%d kafka_clients_cpu_ms=%d by_source=%s%n",
            OUTAGE.toSeconds(),
            lines.size(),
            cpu / 1_000_000,
            lines.stream()
                .collect(Collectors.groupingBy(QuietOutageTest::source, Collectors.counting())));
        assertThat(lines.size())
            .as("lines in %s of outage: %s", OUTAGE, lines)
            .isLessThanOrEqualTo(linesAllowed(OUTAGE));
      }
    } finally {
      root().detachAppender(log);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration(
      excludeName = {
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
        "org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration"
      })
  static class App {}

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** What the outbox and its Kafka clients logged, at the levels the application left them. */
  private static List<ILoggingEvent> ours(ListAppender<ILoggingEvent> log) {
    synchronized (log.list) {
      return log.list.stream()
          .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
          .filter(
              e ->
                  (e.getLoggerName().startsWith("dev.outbox")
                          && !e.getLoggerName().startsWith("dev.outbox.embedded"))
                      || e.getFormattedMessage().contains("clientId=" + CLIENT_ID))
          .toList();
    }
  }

  /** The logger, and the client when it is a Kafka client's line. */
  private static String source(ILoggingEvent line) {
    String message = line.getFormattedMessage();
    String logger = line.getLoggerName();
    String name = logger.substring(logger.lastIndexOf('.') + 1);
    return message.startsWith("[") ? name + " " + message.substring(1, message.indexOf(']')) : name;
  }

  private static @Nullable String processorError(Dispatcher dispatcher) {
    return dispatcher.metrics().workers().stream()
        .filter(worker -> worker.name().equals("event-processor"))
        .findFirst()
        .orElseThrow()
        .lastError();
  }

  /** CPU time of the threads of the outbox's producer and of its availability check. */
  private static long clientThreadsCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (thread != null && thread.getThreadName().contains(CLIENT_ID)) {
        total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
      }
    }
    return total;
  }

  private final OutboxWriter writer = OutboxWriter.create();

  private void write(DataSource dataSource, String id) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      writer.save(c, OutboxEvent.of(id, "Happened", "Thing", "thing-1", TOPIC, Map.of("id", id)));
      c.commit();
    }
  }
}
