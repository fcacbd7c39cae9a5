package dev.outbox.kafka;

import dev.outbox.spi.BrokerAvailability;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the cluster, with an admin client on the producer's connection settings, whether a broker
 * answers. Created lazily: a healthy publisher never opens the admin connection.
 *
 * <p>The admin client does not rebootstrap (see the constructor), so it keeps asking the brokers it
 * last knew. A cluster whose brokers came back elsewhere is found through the bootstrap servers
 * again by a new admin client, made when no broker has answered it for {@link #RENEW_AFTER}.
 */
final class BrokerProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  static final Duration RENEW_AFTER = Duration.ofMinutes(1);

  private final Map<String, Object> adminConfig;
  private final long renewAfterNanos;
  private @Nullable Admin admin;

  /** When the admin client was made or last reached a broker, whichever is later. */
  private long adminAnsweredNanos;

  private boolean closed;

  /** The producer's settings that an admin client understands: servers, TLS, SASL, timeouts. */
  BrokerProbe(Map<String, Object> producerConfig) {
    this(producerConfig, RENEW_AFTER);
  }

  BrokerProbe(Map<String, Object> producerConfig, Duration renewAfter) {
    this.renewAfterNanos = renewAfter.toNanos();
    Map<String, Object> config = new TreeMap<>();
    producerConfig.forEach(
        (name, value) -> {
          if (AdminClientConfig.configNames().contains(name)) {
            config.put(name, value);
          }
        });
    // With no broker to reach, an admin client that may rebootstrap does so in a busy loop, logging
    // each time at INFO: thousands of lines a second for as long as the outage lasts.
    config.put(AdminClientConfig.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
    Object clientId = producerConfig.get(ProducerConfig.CLIENT_ID_CONFIG);
    if (clientId != null) {
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-availability");
    }
    this.adminConfig = Map.copyOf(config);
  }

  synchronized BrokerAvailability check(Duration timeout) {
    if (closed) {
      return BrokerAvailability.UNKNOWN;
    }
    try {
      Admin current = admin;
      if (current == null) {
        current = Admin.create(adminConfig);
        admin = current;
        adminAnsweredNanos = System.nanoTime();
      }
      int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
      var nodes =
          current
              .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
              .nodes()
              .get(millis + 1_000L, TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        return unavailable();
      }
      adminAnsweredNanos = System.nanoTime();
      return BrokerAvailability.AVAILABLE;
    } catch (ExecutionException | TimeoutException e) {
      log.debug("No Kafka broker answered within {}", timeout, e);
      return unavailable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return BrokerAvailability.UNKNOWN;
    } catch (KafkaException e) {
      log.warn("Cannot ask the Kafka cluster whether it is available", e);
      return BrokerAvailability.UNKNOWN;
    }
  }

  /** Renews an admin client that has not reached a broker for a while, see the class comment. */
  private BrokerAvailability unavailable() {
    Admin current = admin;
    if (current != null && System.nanoTime() - adminAnsweredNanos >= renewAfterNanos) {
      admin = null;
      current.close(Duration.ZERO);
    }
    return BrokerAvailability.UNAVAILABLE;
  }

  /** The admin client's settings: the producer's connection settings, without rebootstrapping. */
  Map<String, Object> adminConfig() {
    return adminConfig;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (admin != null) {
      admin.close(Duration.ZERO);
    }
  }
}
