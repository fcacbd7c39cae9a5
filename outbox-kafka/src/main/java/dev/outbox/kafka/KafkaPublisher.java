package dev.outbox.kafka;

import dev.outbox.spi.BrokerAvailability;
import dev.outbox.spi.EventRecord;
import dev.outbox.spi.Publication;
import dev.outbox.spi.PublishException;
import dev.outbox.spi.PublishTimeLimit;
import dev.outbox.spi.Publisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;
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
 * <p>{@link #publish} returns at once and never throws for a failed send: the records go to the
 * producer on a sender thread of the publisher's own, because the producer's {@code send} blocks
 * for up to {@code max.block.ms} while it has no metadata for the topic (the broker being down),
 * and the dispatcher's thread must not. After one send waited for a topic in vain, further sends to
 * it fail at once for the next {@code max.block.ms}, so a queue of them cannot add up to minutes.
 * The returned publication's acknowledgement completes exceptionally with a {@link
 * PublishException} that says whether a retry can help; the publication can be {@linkplain
 * Publication#withdraw() withdrawn} until the sender took it, and tells the record's partition and
 * offset once acknowledged. The acknowledgement is completed on the producer's I/O thread; anything
 * slow (JDBC, logging to a remote sink) chained to it must run on another executor, with the {@code
 * …Async} variants, or it stalls every send of the producer.
 *
 * <p>Thread-safe.
 */
public final class KafkaPublisher implements Publisher {

  /** How long {@link #close()} waits for buffered records by default. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** The publisher's default {@code max.block.ms}, also assumed for a producer passed in. */
  static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Producer<String, byte[]> producer;
  private final RecordMapper mapper;
  private final Duration closeTimeout;
  private final @Nullable BrokerProbe probe;
  private final @Nullable PublishTimeLimit timeLimit;
  private final long maxBlockNanos;
  private final ExecutorService sender;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Topics a send just waited for in vain, with when further sends to them may wait again. */
  private final Map<String, Long> topicsWithoutMetadata = new ConcurrentHashMap<>();

  private final AtomicLong sends = new AtomicLong();

  /** Sends the broker has not answered yet, failed by close() if it never does. */
  private final Map<Long, QueuedSend> unconfirmed = new ConcurrentHashMap<>();

  KafkaPublisher(
      Producer<String, byte[]> producer,
      RecordMapper mapper,
      Duration closeTimeout,
      @Nullable BrokerProbe probe,
      @Nullable PublishTimeLimit timeLimit,
      Duration maxBlock) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.mapper = mapper;
    this.closeTimeout = requireNonNegative(closeTimeout);
    this.probe = probe;
    this.timeLimit = timeLimit;
    this.maxBlockNanos = maxBlock.toNanos();
    this.sender =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "outbox-kafka-sender");
              thread.setDaemon(true);
              return thread;
            });
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
   * publisher takes ownership and closes it with {@link #DEFAULT_CLOSE_TIMEOUT}. It cannot ask the
   * broker whether it is available, nor bound how long a publish takes.
   */
  public static KafkaPublisher forProducer(Producer<String, byte[]> producer) {
    return forProducer(producer, DEFAULT_CLOSE_TIMEOUT);
  }

  /** Like {@link #forProducer(Producer)}, closing the producer with {@code closeTimeout}. */
  public static KafkaPublisher forProducer(
      Producer<String, byte[]> producer, Duration closeTimeout) {
    return new KafkaPublisher(
        producer, new RecordMapper(null), closeTimeout, null, null, DEFAULT_MAX_BLOCK);
  }

  /**
   * Queues {@code event} for the producer; the acknowledgement completes when the broker has
   * acknowledged it with the configured acks, or exceptionally with a {@link PublishException}.
   * After {@link #close()} it fails at once with a retriable error, so the event is tried again by
   * whoever runs next.
   */
  @Override
  public Publication publish(EventRecord event) {
    Objects.requireNonNull(event, "event");
    QueuedSend send = new QueuedSend(event);
    // Registered before the closed check, so close() either sees this send or this send sees
    // the close; no future can slip between them and hang.
    long id = sends.incrementAndGet();
    unconfirmed.put(id, send);
    var unusedCleanup = send.whenComplete((ignored, error) -> unconfirmed.remove(id));
    if (closed.get()) {
      send.completeExceptionally(closedError("is closed; event", event));
      return send.publication();
    }
    try {
      sender.execute(() -> handOver(send));
    } catch (RejectedExecutionException e) {
      send.completeExceptionally(closedError("is closed; event", event));
    }
    return send.publication();
  }

  /**
   * Asks the cluster whether a broker answers within {@code timeout}. {@link
   * BrokerAvailability#UNKNOWN} for a publisher made {@link #forProducer for a producer}, which has
   * no connection settings to ask with.
   */
  @Override
  public BrokerAvailability checkAvailability(Duration timeout) {
    if (probe == null) {
      return BrokerAvailability.UNKNOWN;
    }
    BrokerAvailability availability = probe.check(timeout);
    if (availability == BrokerAvailability.AVAILABLE) {
      topicsWithoutMetadata.clear();
    }
    return availability;
  }

  /**
   * {@code max.block.ms + delivery.timeout.ms} for a publisher from the {@link #builder()}: the
   * producer gives up on a record after that, whatever the broker does. Empty for {@link
   * #forProducer}.
   */
  @Override
  public Optional<PublishTimeLimit> publishTimeLimit() {
    return Optional.ofNullable(timeLimit);
  }

  private void handOver(QueuedSend send) {
    if (!send.takeForSending()) {
      return; // withdrawn by the dispatcher while it waited
    }
    EventRecord event = send.event();
    if (closed.get()) {
      send.completeExceptionally(closedError("is closed; event", event));
      return;
    }
    Long blockedUntil = topicsWithoutMetadata.get(event.topic());
    if (blockedUntil != null && System.nanoTime() - blockedUntil < 0) {
      send.completeExceptionally(
          PublishException.retriable(
              "No Kafka metadata for topic '"
                  + event.topic()
                  + "': a send to it waited max.block.ms in vain just now; event "
                  + event.eventId()
                  + " not sent",
              new IllegalStateException("no metadata for topic " + event.topic())));
      return;
    }
    try {
      // The outcome arrives through the callback; the returned future holds the same.
      var unusedSend =
          producer.send(
              mapper.toRecord(event),
              (metadata, error) -> {
                if (error == null) {
                  send.acknowledged(metadata.partition(), metadata.offset());
                } else {
                  send.completeExceptionally(KafkaErrorClassifier.toPublishException(error, event));
                }
              });
    } catch (RuntimeException e) {
      // send() throws for errors it detects before queueing (serialization, full buffer after
      // max.block.ms, closed producer, interrupt); the SPI reports failures through the
      // acknowledgement.
      send.completeExceptionally(KafkaErrorClassifier.toPublishException(e, event));
    }
    if (send.isCompletedExceptionally() && waitedForMetadata(send)) {
      topicsWithoutMetadata.put(event.topic(), System.nanoTime() + maxBlockNanos);
    }
  }

  /** Failed within send() with a timeout: the producer waited for the topic's metadata. */
  private static boolean waitedForMetadata(QueuedSend send) {
    Throwable error = send.handle((ignored, e) -> e).join();
    return error != null && error.getCause() instanceof TimeoutException;
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
    // Queued sends now fail at once; the one in send() ends when the producer closes.
    sender.shutdown();
    try {
      // close(timeout) drains the buffer within the timeout and then aborts the rest; a separate
      // flush() would block without bound while the broker is down.
      producer.close(closeTimeout);
    } catch (RuntimeException e) {
      log.warn("Kafka producer did not close cleanly", e);
    } finally {
      if (probe != null) {
        probe.close();
      }
      // Outcome unknown, so retriable: at worst the retry duplicates, which consumers tolerate.
      for (QueuedSend pending : List.copyOf(unconfirmed.values())) {
        pending.completeExceptionally(
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
