package dev.outbox.example;

import dev.outbox.Backoff;
import dev.outbox.Dispatcher;
import dev.outbox.DispatcherBuilder;
import dev.outbox.DispatcherMetrics;
import dev.outbox.OutboxEvent;
import dev.outbox.kafka.KafkaPublisher;
import dev.outbox.spi.Publisher;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The specification's example: creates the tables, starts the dispatcher with its four workers,
 * writes UserCreated, UserUpdated and OrderCreated in one transaction, shows what reaches Kafka,
 * logs metrics every 5 seconds, and stops gracefully on Ctrl+C.
 */
public final class ExampleApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExampleApp.class);
  private static final Duration METRICS_INTERVAL = Duration.ofSeconds(5);

  private final ExampleOptions options;
  private @Nullable Infrastructure infrastructure;
  private @Nullable Dispatcher dispatcher;
  private @Nullable RecordPrinter printer;
  private boolean closed;
  private @Nullable DispatcherMetrics finalMetrics;
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          1,
          r -> {
            Thread t = new Thread(r, "outbox-example-scheduler");
            t.setDaemon(true);
            return t;
          });

  ExampleApp(ExampleOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    ExampleOptions options;
    try {
      options = ExampleOptions.parse(args, System.getenv());
    } catch (ExampleOptions.UsageException e) {
      String problem = Objects.requireNonNullElse(e.getMessage(), "");
      if (!problem.isEmpty()) {
        System.err.println("Error: " + problem);
      }
      System.err.print(ExampleOptions.USAGE);
      System.exit(problem.isEmpty() ? 0 : 2);
      return;
    }
    ExampleApp app = new ExampleApp(options);
    // Ctrl+C: one hook closes the example's parts in order, the servers it started last; they
    // leave their own hooks to it, which would otherwise stop them beside it.
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "outbox-example-shutdown"));
    app.start();
    if (options.duration().isZero()) {
      LOG.info("Running; press Ctrl+C to stop");
      Thread.currentThread().join(); // until Ctrl+C ends the JVM through the hook
    } else {
      TimeUnit.MILLISECONDS.sleep(options.duration().toMillis());
    }
    app.close();
    System.exit(0);
  }

  /** Starts everything and writes the scenario's three events in one transaction. */
  List<OutboxEvent> start() throws SQLException {
    long startedAt = System.nanoTime();
    Infrastructure infra = Infrastructure.start(options);
    infrastructure = infra;
    createTopics(infra.bootstrapServers());
    RecordPrinter records =
        new RecordPrinter(infra.bootstrapServers(), List.of(Shop.USER_TOPIC, Shop.ORDER_TOPIC));
    printer = records;
    records.start();

    Shop shop = new Shop(infra.dataSource());
    shop.createTables();
    Dispatcher started = dispatcher(infra).build();
    dispatcher = started;
    started.start();
    MetricsReporter metrics = new MetricsReporter(started);
    metrics.logConfiguration();
    LOG.info(
        "Example started in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));

    List<OutboxEvent> events = shop.registerUserWithFirstOrder();
    started.wakeUp();
    var unusedReport =
        scheduler.scheduleAtFixedRate(
            metrics::logOnce, 0, METRICS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    if (options.rate() > 0) {
      startGenerator(shop, events.get(0).aggregateId());
    }
    return events;
  }

  private DispatcherBuilder dispatcher(Infrastructure infra) {
    Publisher publisher =
        KafkaPublisher.builder()
            .bootstrapServers(infra.bootstrapServers())
            .clientId("outbox-example")
            .build();
    DispatcherBuilder builder =
        Dispatcher.builder(infra.dataSource())
            .createSchema(true)
            .shutdownTimeout(Duration.ofSeconds(15));
    if (options.failureRate() > 0) {
      // Short intervals, so retries, backoff and dead letters show within a minute.
      publisher = new FlakyPublisher(publisher, options.failureRate());
      builder
          .backoff(Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(20)))
          .deadLetterInterval(Duration.ofSeconds(10))
          .stuckCheckInterval(Duration.ofSeconds(30));
    }
    if (options.rate() > 0) {
      builder.batchSize(100).pollInterval(Duration.ofMillis(200));
    }
    return builder.publisher(publisher);
  }

  private void startGenerator(Shop shop, String userId) {
    long periodMicros = (long) (1_000_000 / options.rate());
    LOG.info("Writing {} order event(s) per second", options.rate());
    var unusedGenerator =
        scheduler.scheduleAtFixedRate(
            () -> {
              try {
                shop.placeOrder(userId);
              } catch (SQLException | RuntimeException e) {
                LOG.warn("Writing an order failed", e);
              }
            },
            periodMicros,
            periodMicros,
            TimeUnit.MICROSECONDS);
  }

  private static void createTopics(String bootstrapServers) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      for (String topic : Set.of(Shop.USER_TOPIC, Shop.ORDER_TOPIC)) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
          LOG.info("Created topic {}", topic);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Could not create topic " + topic, e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    }
  }

  RecordPrinter printer() {
    return Objects.requireNonNull(printer, "the example has not started");
  }

  /** The metrics taken once the dispatcher stopped, before the connections closed. */
  DispatcherMetrics finalMetrics() {
    return Objects.requireNonNull(finalMetrics, "the example has not stopped");
  }

  /** Stops the writers, the dispatcher and its workers, the consumer, the connections, in order. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("Stopping the example");
    scheduler.shutdownNow();
    if (dispatcher != null) {
      dispatcher.close();
      finalMetrics = new MetricsReporter(dispatcher).logOnce();
    }
    if (printer != null) {
      try {
        printer.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (infrastructure != null) {
      infrastructure.close();
    }
    LOG.info("Example stopped");
  }
}
