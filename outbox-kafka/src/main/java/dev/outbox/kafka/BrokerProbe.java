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
 */
final class BrokerProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Map<String, Object> adminConfig;
  private @Nullable Admin admin;
  private boolean closed;

  /** The producer's settings that an admin client understands: servers, TLS, SASL, timeouts. */
  BrokerProbe(Map<String, Object> producerConfig) {
    Map<String, Object> config = new TreeMap<>();
    producerConfig.forEach(
        (name, value) -> {
          if (AdminClientConfig.configNames().contains(name)) {
            config.put(name, value);
          }
        });
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
      if (admin == null) {
        admin = Admin.create(adminConfig);
      }
      int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
      var nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
              .nodes()
              .get(millis + 1_000L, TimeUnit.MILLISECONDS);
      return nodes.isEmpty() ? BrokerAvailability.UNAVAILABLE : BrokerAvailability.AVAILABLE;
    } catch (ExecutionException | TimeoutException e) {
      log.debug("No Kafka broker answered within {}", timeout, e);
      return BrokerAvailability.UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return BrokerAvailability.UNKNOWN;
    } catch (KafkaException e) {
      log.warn("Cannot ask the Kafka cluster whether it is available", e);
      return BrokerAvailability.UNKNOWN;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (admin != null) {
      admin.close(Duration.ZERO);
    }
  }
}
