package dev.outbox.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.Dispatcher;
import dev.outbox.spi.EventRecord;
import dev.outbox.test.RecordingPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules shipped in {@code docs/monitoring} name only
 * series that the Prometheus registry really exposes for these meters.
 */
class MonitoringDocsTest {

  private static final Path MONITORING = Path.of("..", "docs", "monitoring");
  private static final Pattern SERIES = Pattern.compile("\\b(outbox_[a-z_]+)");

  @Test
  void theDashboardAndTheAlertRulesNameSeriesThatExist() throws IOException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:docs-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Dispatcher dispatcher =
        Dispatcher.builder(h2).publisher(new RecordingPublisher()).createSchema(true).build()) {
      OutboxMetrics metrics = OutboxMetrics.builder(dispatcher).build();
      metrics.bindTo(registry);
      EventRecord event =
          EventRecord.builder()
              .eventId("e")
              .eventType("T")
              .aggregateType("A")
              .aggregateId("a")
              .topic("orders")
              .payload("{}")
              .traceparent(null)
              .headers(Map.of())
              .createdAt(Instant.now())
              .attempt(1)
              .build();
      metrics.published(event, Duration.ofMillis(5));
      metrics.failed(event, "no", false);
      metrics.failed(event, "no", true);
      metrics.recoveredStuck(2, 1);
      metrics.claimed(3, Duration.ofMillis(2));
      String scrape = registry.scrape();

      Set<String> exposed = names(scrape);
      for (String file : new String[] {"grafana-dashboard.json", "prometheus-alerts.yml"}) {
        Set<String> used = names(Files.readString(MONITORING.resolve(file)));
        assertThat(used).as(file).isNotEmpty();
        assertThat(exposed).as("series exposed, used by " + file).containsAll(used);
      }
    }
  }

  private static Set<String> names(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = SERIES.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
