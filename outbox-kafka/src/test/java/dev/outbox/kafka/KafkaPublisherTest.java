package dev.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.outbox.spi.BrokerAvailability;
import dev.outbox.spi.Publication;
import dev.outbox.spi.PublishException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaPublisherTest {

  /** MockProducer that records how it was closed, and can hold sends as a dead broker does. */
  static final class RecordingProducer extends MockProducer<String, byte[]> {
    final List<Duration> closeTimeouts = new ArrayList<>();
    final CountDownLatch released = new CountDownLatch(1);
    volatile boolean holdSends;
    volatile boolean waitingInSend;

    RecordingProducer(boolean autoComplete) {
      super(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<String, byte[]> record, Callback callback) {
      if (holdSends) {
        waitingInSend = true;
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.send(record, callback);
    }

    @Override
    public void close(Duration timeout) {
      closeTimeouts.add(timeout);
      super.close(timeout);
    }
  }

  private final RecordingProducer producer = new RecordingProducer(false);
  private final KafkaPublisher publisher =
      KafkaPublisher.forProducer(producer, Duration.ofSeconds(7));

  private static PublishException failure(CompletableFuture<Void> future) {
    Throwable cause = future.handle((ignored, error) -> error).join();
    assertThat(future).isCompletedExceptionally();
    assertThat(cause).isInstanceOf(PublishException.class);
    return (PublishException) cause;
  }

  @Test
  void completesWhenTheBrokerAcknowledgesAndTellsWhereTheRecordWasPut() {
    Publication publication = publisher.publish(TestEvents.event());
    CompletableFuture<Void> future = publication.acknowledgement().toCompletableFuture();
    handedOver(1);
    assertThat(future).isNotDone();
    assertThat(publication.placement()).isEmpty();

    producer.completeNext();

    assertThat(future).isCompletedWithValue(null);
    assertThat(publication.placement()).contains(new Publication.Placement(0, 0));
  }

  @Test
  void callbackErrorFailsTheFutureClassifiedAsPermanent() {
    CompletableFuture<Void> future =
        publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture();
    handedOver(1);

    producer.errorNext(new RecordTooLargeException("too big"));

    PublishException error = failure(future);
    assertThat(error.isRetriable()).isFalse();
    assertThat(error).hasCauseInstanceOf(RecordTooLargeException.class);
    assertThat(error.getMessage()).contains("evt-1").contains("user-events");
  }

  @Test
  void callbackErrorFailsTheFutureClassifiedAsRetriable() {
    CompletableFuture<Void> future =
        publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture();
    handedOver(1);

    producer.errorNext(new NotEnoughReplicasException("isr shrank"));

    assertThat(failure(future).isRetriable()).isTrue();
  }

  @Test
  void synchronousSendExceptionBecomesAFailedFuture() {
    producer.sendException = new SerializationException("cannot serialize");

    // Must not throw: the SPI reports every failure through the stage.
    CompletableFuture<Void> future =
        publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture();

    PublishException error = failure(future);
    assertThat(error.isRetriable()).isFalse();
    assertThat(error).hasCauseInstanceOf(SerializationException.class);
  }

  @Test
  void synchronousBufferExhaustionIsRetriable() {
    producer.sendException = new BufferExhaustedException("no memory within max.block.ms");

    assertThat(
            failure(publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture())
                .isRetriable())
        .isTrue();
  }

  @Test
  void wrappedSynchronousErrorIsClassifiedByItsCause() {
    producer.sendException =
        new KafkaException("send failed", new TopicAuthorizationException("no ACL"));

    assertThat(
            failure(publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture())
                .isRetriable())
        .isFalse();
  }

  @Test
  void producerClosedUnderneathIsARetriableFailureNotAThrow() {
    producer.close();

    PublishException error =
        failure(publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture());

    assertThat(error.isRetriable()).isTrue();
    assertThat(error).hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void publishAfterCloseFailsRetriablyWithoutSending() {
    publisher.close();

    PublishException error =
        failure(publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture());

    assertThat(error.isRetriable()).isTrue();
    assertThat(error.getMessage()).contains("closed").contains("evt-1");
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void closeClosesTheProducerOnceWithTheConfiguredTimeout() {
    publisher.close();
    publisher.close();

    assertThat(producer.closed()).isTrue();
    assertThat(producer.closeTimeouts).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void closeFailsSendsTheProducerLeftUnacknowledged() {
    CompletableFuture<Void> pending =
        publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture();
    handedOver(1);

    publisher.close();

    PublishException error = failure(pending);
    assertThat(error.isRetriable()).isTrue();
    assertThat(error.getMessage()).contains("evt-1");
  }

  @Test
  void closeSurvivesAProducerThatFailsToClose() {
    producer.closeException = new KafkaException("close failed");

    assertThatCode(publisher::close).doesNotThrowAnyException();
    assertThatCode(publisher::close).doesNotThrowAnyException();
  }

  @Test
  void acknowledgedSendsAreNotFailedByClose() throws Exception {
    CompletableFuture<Void> done =
        publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture();
    handedOver(1);
    producer.completeNext();

    publisher.close();

    assertThat(done.get()).isNull();
  }

  /** A producer blocked in send(), as while it waits for a dead broker's metadata. */
  @Test
  void publishReturnsAtOnceWhileTheProducerIsBlockedInSend() {
    producer.holdSends = true;
    CompletableFuture<Void> first =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture());

    assertThat(first).isNotDone();
    producer.released.countDown();
    handedOver(1);
    producer.completeNext();
    assertThat(first.join()).isNull();
  }

  @Test
  void aSendStillQueuedCanBeWithdrawnButOneHandedToTheProducerCannot() {
    producer.holdSends = true;
    Publication inSend = publisher.publish(TestEvents.event());
    Publication queued = publisher.publish(TestEvents.event("evt-2", "user-events"));
    await().until(() -> producer.waitingInSend);

    assertThat(queued.withdraw()).isTrue();
    assertThat(inSend.withdraw()).isFalse();
    assertThat(queued.acknowledgement().toCompletableFuture()).isCancelled();
    producer.released.countDown();
    // Sends go to the producer in order: once the marker is there, the withdrawn one never will be.
    CompletableFuture<Void> marker =
        publisher
            .publish(TestEvents.event("marker", "user-events"))
            .acknowledgement()
            .toCompletableFuture();
    handedOver(2);
    producer.completeNext();
    producer.completeNext();
    assertThat(inSend.acknowledgement().toCompletableFuture().join()).isNull();
    assertThat(marker.join()).isNull();
    assertThat(producer.history())
        .extracting(r -> KafkaHeaders.lastValue(r.headers(), KafkaHeaders.EVENT_ID))
        .containsExactly("evt-1", "marker");
  }

  @Test
  void afterASendWaitedForTheTopicsMetadataInVainTheNextFailAtOnceWithoutSending() {
    producer.sendException = new TimeoutException("Topic user-events not present in metadata");
    assertThat(
            failure(publisher.publish(TestEvents.event()).acknowledgement().toCompletableFuture())
                .isRetriable())
        .isTrue();
    producer.sendException = null;

    PublishException next =
        failure(
            publisher
                .publish(TestEvents.event("evt-2", "user-events"))
                .acknowledgement()
                .toCompletableFuture());
    assertThat(next.isRetriable()).isTrue();
    assertThat(next.getMessage()).contains("user-events").contains("evt-2");
    assertThat(producer.history()).isEmpty();

    CompletableFuture<Void> otherTopic =
        publisher
            .publish(TestEvents.event("evt-3", "other-events"))
            .acknowledgement()
            .toCompletableFuture();
    handedOver(1);
    producer.completeNext();
    assertThat(otherTopic.join()).isNull();
  }

  @Test
  void aProducerPassedInCannotTellItsBrokersStateNorBoundAPublish() {
    assertThat(publisher.checkAvailability(Duration.ofSeconds(1)))
        .isEqualTo(BrokerAvailability.UNKNOWN);
    assertThat(publisher.publishTimeLimit()).isEmpty();
  }

  private void handedOver(int records) {
    await().until(() -> producer.history().size() >= records);
  }

  @Test
  void defaultCloseTimeoutIsThirtySeconds() {
    RecordingProducer other = new RecordingProducer(true);

    KafkaPublisher.forProducer(other).close();

    assertThat(other.closeTimeouts).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void refusesANegativeCloseTimeout() {
    assertThatThrownBy(() -> KafkaPublisher.forProducer(producer, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("closeTimeout");
  }
}
