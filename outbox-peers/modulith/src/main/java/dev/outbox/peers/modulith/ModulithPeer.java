package dev.outbox.peers.modulith;

import dev.outbox.peers.PacedWrites;
import dev.outbox.peers.PeerDrain;
import dev.outbox.peers.PeerOptions;
import dev.outbox.peers.PeerOptions.Paced;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.modulith.events.IncompleteEventPublications;

/**
 * Spring Modulith's event publication registry (JDBC) externalizing to Kafka, draining the
 * benchmark's backlog.
 *
 * <p>Phase 1 writes the backlog: the events are published through {@code ApplicationEventPublisher}
 * in transactions of {@value #TRANSACTION_EVENTS}, so the registry stores one publication per event
 * for Spring Modulith's Kafka externalizer; the externalizer, an asynchronous listener, never runs
 * (see {@link HeldListeners}), as if the application had stopped after each commit. Phase 2 is a
 * new application context with the externalizer running: from the resubmission of all incomplete
 * publications ({@link IncompleteEventPublications}, what {@code
 * spring.modulith.events.republish-outstanding-events-on-restart} does at start-up) until the
 * registry's table holds no incomplete publication.
 */
public final class ModulithPeer {

  /** The module's name: the harness knows a peer by its module. */
  public static final String NAME = "modulith";

  public static final String VERSION = "2.0.3";

  static final int TRANSACTION_EVENTS = 1_000;
  private static final long POLL_MILLIS = 50;
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(120);
  private static final String INCOMPLETE =
      "SELECT count(*) FROM event_publication WHERE completion_date IS NULL";

  private ModulithPeer() {}

  /** The drain's time, and every setting used. */
  public record Drain(long nanos, Map<String, String> settings) {}

  /** Writes the backlog (phase 1), then drains it (phase 2). */
  public static Drain run(PeerOptions options) throws SQLException, InterruptedException {
    writeBacklog(options);
    return drain(options);
  }

  /**
   * The paced run: one application context with the externalizer running while the events are
   * published one to a transaction; done when no publication is incomplete, or after {@link
   * PeerDrain#PACED_FINISH}.
   */
  public static void paced(PeerOptions options, Paced paced)
      throws IOException, InterruptedException, SQLException {
    try (ConfigurableApplicationContext context = application(options).run()) {
      context.getBean(KafkaTemplate.class).partitionsFor(options.topic());
      BacklogWriter writer = context.getBean(BacklogWriter.class);
      PacedWrites.run(
          paced, i -> writer.publish(i, i + 1, options.aggregates(), options.payloadBytes()));
      PeerDrain.awaitPacedFinish(
          context.getBean(DataSource.class),
          "SELECT 1 FROM event_publication WHERE completion_date IS NULL LIMIT 1");
    }
  }

  static void writeBacklog(PeerOptions options) throws SQLException {
    try (ConfigurableApplicationContext context = application(options, HeldListeners.class).run()) {
      BacklogWriter writer = context.getBean(BacklogWriter.class);
      for (int from = 0; from < options.events(); from += TRANSACTION_EVENTS) {
        writer.publish(
            from,
            Math.min(from + TRANSACTION_EVENTS, options.events()),
            options.aggregates(),
            options.payloadBytes());
      }
    }
    try (Connection connection = connect(options)) {
      long all = count(connection, "SELECT count(*) FROM event_publication");
      long incomplete = count(connection, INCOMPLETE);
      long listeners =
          count(connection, "SELECT count(DISTINCT listener_id) FROM event_publication");
      if (all != options.events() || incomplete != all || listeners != 1) {
        throw new IllegalStateException(
            "the backlog should be "
                + options.events()
                + " incomplete publications for one listener, is "
                + all
                + " publications, "
                + incomplete
                + " incomplete, for "
                + listeners
                + " listeners");
      }
    }
  }

  static Drain drain(PeerOptions options) throws SQLException, InterruptedException {
    long nanos;
    Map<String, String> settings;
    try (ConfigurableApplicationContext context = application(options).run();
        Connection probe = connect(options)) {
      // The producer connected and the topic's metadata fetched before the clock starts.
      context.getBean(KafkaTemplate.class).partitionsFor(options.topic());
      IncompleteEventPublications incomplete = context.getBean(IncompleteEventPublications.class);

      long start = System.nanoTime();
      incomplete.resubmitIncompletePublications(publication -> true);
      long left = count(probe, INCOMPLETE);
      long lastLeft = left;
      long lastProgress = System.nanoTime();
      while (left > 0) {
        Thread.sleep(POLL_MILLIS);
        left = count(probe, INCOMPLETE);
        long now = System.nanoTime();
        if (left != lastLeft) {
          lastLeft = left;
          lastProgress = now;
        } else if (now - lastProgress > STALL_NANOS) {
          throw new IllegalStateException(
              left
                  + " publications still incomplete, none completed for 120 s: "
                  + byStatus(probe));
        }
      }
      nanos = System.nanoTime() - start;
      settings = settings(context.getEnvironment());
    }
    return new Drain(nanos, settings);
  }

  /** As in force in the drain's context: system properties (-D…) may override the defaults. */
  private static Map<String, String> settings(Environment environment) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("registry", "jdbc");
    settings.put(
        "completion_mode",
        environment.getProperty("spring.modulith.events.completion-mode", "update"));
    settings.put(
        "backlog",
        "ApplicationEventPublisher in @Transactional batches of "
            + TRANSACTION_EVENTS
            + " with the externalizer held");
    settings.put("resubmission", "IncompleteEventPublications.resubmitIncompletePublications(all)");
    settings.put("listener", "Kafka DelegatingEventExternalizer (@ApplicationModuleListener)");
    settings.put(
        "executor_threads", environment.getProperty("spring.task.execution.pool.core-size", "8"));
    settings.put(
        "executor_queue",
        environment.getProperty("spring.task.execution.pool.queue-capacity", "unbounded"));
    settings.put(
        "serialize_externalization",
        environment.getProperty(
            "spring.modulith.events.externalization.serialize-externalization", "false"));
    settings.put(
        "hikari_max_pool",
        environment.getProperty("spring.datasource.hikari.maximum-pool-size", "10"));
    settings.put("acks", environment.getProperty("spring.kafka.producer.acks", "all"));
    settings.put(
        "linger_ms",
        environment.getProperty("spring.kafka.producer.properties.linger.ms", "5 (default)"));
    settings.put(
        "batch_size",
        environment.getProperty("spring.kafka.producer.batch-size", "16384 (default)"));
    settings.put("key", "aggregate");
    settings.put("value", "the event as JSON (= the payload)");
    settings.put("done", "no completion_date IS NULL row, polled every " + POLL_MILLIS + " ms");
    return settings;
  }

  private static SpringApplicationBuilder application(PeerOptions options, Class<?>... more) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.main.banner-mode", "off");
    properties.put("spring.main.log-startup-info", "false");
    properties.put("logging.level.root", "WARN");
    properties.put("spring.datasource.url", options.jdbcUrl());
    properties.put("spring.datasource.username", options.dbUser());
    properties.put("spring.datasource.password", options.dbPassword());
    properties.put("spring.modulith.events.jdbc.schema-initialization.enabled", "true");
    properties.put("spring.modulith.events.completion-mode", "update");
    properties.put("spring.modulith.events.republish-outstanding-events-on-restart", "false");
    properties.put("spring.kafka.bootstrap-servers", options.bootstrapServers());
    properties.put("spring.kafka.producer.acks", "all");
    properties.put(ModulithPeerApplication.TOPIC, options.topic());
    Class<?>[] sources = new Class<?>[more.length + 1];
    sources[0] = ModulithPeerApplication.class;
    System.arraycopy(more, 0, sources, 1, more.length);
    return new SpringApplicationBuilder(sources)
        .web(WebApplicationType.NONE)
        .registerShutdownHook(false)
        .properties(properties);
  }

  private static Connection connect(PeerOptions options) throws SQLException {
    return DriverManager.getConnection(options.jdbcUrl(), options.dbUser(), options.dbPassword());
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static String byStatus(Connection connection) throws SQLException {
    StringBuilder statuses = new StringBuilder();
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT status, count(*) FROM event_publication"
                    + " WHERE completion_date IS NULL GROUP BY status")) {
      while (result.next()) {
        statuses.append(result.getString(1)).append('=').append(result.getLong(2)).append(' ');
      }
    }
    return statuses.toString().trim();
  }
}
