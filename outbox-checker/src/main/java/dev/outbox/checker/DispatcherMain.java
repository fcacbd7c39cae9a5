package dev.outbox.checker;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outbox.Backoff;
import dev.outbox.Dispatcher;
import dev.outbox.kafka.KafkaPublisher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * One dispatcher in a process of its own, so the checker can kill it for real. Arguments: JDBC URL,
 * user, password, bootstrap servers, instance id, the file whose existence turns injected publish
 * failures off, and how many milliseconds this host's clock is off (a skewed host: the dispatcher
 * must work on the database's time regardless). Prints {@value #STARTED} once running; closes the
 * dispatcher gracefully when its standard input ends.
 */
public final class DispatcherMain {

  static final String STARTED = "DISPATCHER STARTED";

  /**
   * The lease of a claim: an event processing longer is taken back by any dispatcher. A dispatcher
   * waits three quarters of it for acknowledgements, and starts a round only while the producer's
   * longest block and retry (below) fits before then.
   */
  static final Duration LEASE = Duration.ofSeconds(8);

  static final Duration STUCK_CHECK_INTERVAL = Duration.ofSeconds(1);

  /**
   * The producer gives up on a send after this; together with {@link #MAX_BLOCK} shorter than the
   * three quarters of the lease the dispatcher waits for an acknowledgement, so a slow or stopped
   * broker reaches it as a failed publish, not as a lease left to expire (which publishes the event
   * again).
   */
  static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);

  /** How long a send may block waiting for metadata or buffer space. */
  static final Duration MAX_BLOCK = Duration.ofSeconds(1);

  private DispatcherMain() {}

  public static void main(String[] args) throws IOException {
    PrintStream control = System.out;
    System.setOut(System.err); // standard output carries only the protocol
    String jdbcUrl = args[0];
    String instanceId = args[4];
    HikariConfig pool = new HikariConfig();
    pool.setPoolName(instanceId);
    pool.setJdbcUrl(jdbcUrl);
    pool.setUsername(args[1]);
    pool.setPassword(args[2]);
    pool.setMaximumPoolSize(8);
    pool.setConnectionTimeout(5_000);
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      KafkaPublisher kafka =
          KafkaPublisher.builder()
              .bootstrapServers(args[3])
              .clientId(instanceId)
              .property("request.timeout.ms", 1_000)
              .property("max.block.ms", (int) MAX_BLOCK.toMillis())
              .property("delivery.timeout.ms", (int) DELIVERY_TIMEOUT.toMillis())
              .build();
      Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofMillis(Long.parseLong(args[6])));
      Dispatcher dispatcher =
          Dispatcher.builder(dataSource)
              .clock(skewed)
              .databaseTime(true)
              .publisher(new FaultInjectingPublisher(kafka, Path.of(args[5])))
              .instanceId(instanceId)
              .batchSize(100)
              .pollInterval(Duration.ofMillis(100))
              .maxAttempts(3)
              .backoff(Backoff.fixed(Duration.ofMillis(200)))
              .deadLetterInterval(Duration.ofSeconds(1))
              .stuckTimeout(LEASE)
              .stuckCheckInterval(STUCK_CHECK_INTERVAL)
              .shutdownTimeout(Duration.ofSeconds(10))
              .build();
      dispatcher.start();
      control.println(STARTED);
      control.flush();
      while (System.in.read() != -1) {
        // The checker never writes; end of input means stop.
      }
      dispatcher.close();
    }
    System.exit(0);
  }
}
