package dev.outbox.kafka;

import dev.outbox.spi.EventRecord;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.Publisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes outbox events to Kafka.
 *
 * <p>Each event becomes one record on {@link EventRecord#topic()}: the key is the aggregate id (so
 * one aggregate stays on one partition, in order), the value is the JSON payload as UTF-8 bytes,
 * and the headers are those named in {@link KafkaHeaders} followed by the event's own headers
 * (sorted by name; one that uses a reserved name is dropped, the outbox's value wins).
 *
 * <p>Built with {@link #builder()}, the producer is idempotent with {@code acks=all}; settings that
 * would weaken that are refused, see {@link KafkaPublisherBuilder}. {@link #forProducer} wraps a
 * producer you configured yourself (or a {@code MockProducer} in tests) without checking it.
 *
 * <p>{@link #publish} never throws for a failed send: the returned stage completes exceptionally
 * with a {@link PublishException} that says whether a retry can help. The stage is completed on the
 * producer's I/O thread; anything slow (JDBC, logging to a remote sink) chained to it must run on
 * another executor, with the {@code …Async} variants, or it stalls every send of the producer.
 *
 * <p>Thread-safe.
 */
public final class KafkaPublisher implements Publisher {

  /** How long {@link #close()} waits for buffered records by default. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Producer<String, byte[]> producer;
  private final Duration closeTimeout;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A send the broker has not answered yet, failed by close() if it never does. */
  private record Pending(CompletableFuture<Void> result, EventRecord event) {}

  private final AtomicLong sends = new AtomicLong();
  private final Map<Long, Pending> unconfirmed = new ConcurrentHashMap<>();

  KafkaPublisher(Producer<String, byte[]> producer, Duration closeTimeout) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.closeTimeout = requireNonNegative(closeTimeout);
  }

  /**
   * Starts a validated configuration for a new idempotent {@link
   * org.apache.kafka.clients.producer.KafkaProducer}.
   */
  public static KafkaPublisherBuilder builder() {
    return new KafkaPublisherBuilder();
  }

  /**
   * Publishes through {@code producer} as given: none of the builder's checks or defaults apply, so
   * it should be idempotent with {@code acks=all} for the outbox's guarantees to hold. The
   * publisher takes ownership and closes it with {@link #DEFAULT_CLOSE_TIMEOUT}.
   */
  public static KafkaPublisher forProducer(Producer<String, byte[]> producer) {
    return new KafkaPublisher(producer, DEFAULT_CLOSE_TIMEOUT);
  }

  /** Like {@link #forProducer(Producer)}, closing the producer with {@code closeTimeout}. */
  public static KafkaPublisher forProducer(
      Producer<String, byte[]> producer, Duration closeTimeout) {
    return new KafkaPublisher(producer, closeTimeout);
  }

  /**
   * Sends {@code event}; the stage completes when the broker has acknowledged it with the
   * configured acks, or exceptionally with a {@link PublishException}. After {@link #close()} the
   * stage fails at once with a retriable error, so the event is tried again by whoever runs next.
   */
  @Override
  public CompletionStage<Void> publish(EventRecord event) {
    Objects.requireNonNull(event, "event");
    CompletableFuture<Void> result = new CompletableFuture<>();
    // Registered before the closed check, so close() either sees this send or this send sees
    // the close; no future can slip between them and hang.
    long send = sends.incrementAndGet();
    unconfirmed.put(send, new Pending(result, event));
    var unusedCleanup = result.whenComplete((ignored, error) -> unconfirmed.remove(send));
    if (closed.get()) {
      result.completeExceptionally(closedError("is closed; event", event));
      return result;
    }
    try {
      // The outcome arrives through the callback; the returned future holds the same.
      var unusedSend =
          producer.send(
              RecordMapper.toRecord(event),
              (metadata, error) -> {
                if (error == null) {
                  result.complete(null);
                } else {
                  result.completeExceptionally(
                      KafkaErrorClassifier.toPublishException(error, event));
                }
              });
    } catch (RuntimeException e) {
      // send() throws for errors it detects before queueing (serialization, full buffer after
      // max.block.ms, closed producer, interrupt); the SPI reports failures through the stage.
      result.completeExceptionally(KafkaErrorClassifier.toPublishException(e, event));
    }
    return result;
  }

  /**
   * Sends what the producer still buffers, waiting at most the close timeout, then closes it. Sends
   * that are still unacknowledged afterwards fail with a retriable error. Calling it again does
   * nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      // close(timeout) drains the buffer within the timeout and then aborts the rest; a separate
      // flush() would block without bound while the broker is down.
      producer.close(closeTimeout);
    } catch (RuntimeException e) {
      log.warn("Kafka producer did not close cleanly", e);
    } finally {
      // Outcome unknown, so retriable: at worst the retry duplicates, which consumers tolerate.
      for (Pending pending : List.copyOf(unconfirmed.values())) {
        pending
            .result()
            .completeExceptionally(
                closedError("closed before the broker acknowledged event", pending.event()));
      }
    }
  }

  private static PublishException closedError(String what, EventRecord event) {
    return PublishException.retriable(
        "Kafka publisher " + what + " " + event.eventId() + " on topic '" + event.topic() + "'",
        new IllegalStateException("Kafka publisher closed"));
  }

  static Duration requireNonNegative(Duration timeout) {
    Objects.requireNonNull(timeout, "closeTimeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("closeTimeout must not be negative but was " + timeout);
    }
    return timeout;
  }
}
