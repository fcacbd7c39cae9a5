package dev.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbox.spi.PublishException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaErrorClassifierTest {

  static Stream<Arguments> classification() {
    return Stream.of(
        // permanent: the same send would fail the same way
        Arguments.of(new RecordTooLargeException("too large"), false),
        Arguments.of(new RecordBatchTooLargeException("batch too large"), false),
        Arguments.of(new InvalidRecordException("invalid record"), false),
        Arguments.of(new InvalidTopicException("bad topic"), false),
        Arguments.of(new TopicAuthorizationException(Set.of("user-events")), false),
        Arguments.of(new ClusterAuthorizationException("cluster"), false),
        Arguments.of(new AuthorizationException("denied"), false),
        Arguments.of(new AuthenticationException("who are you"), false),
        Arguments.of(new SaslAuthenticationException("bad password"), false),
        Arguments.of(new SslAuthenticationException("bad certificate"), false),
        Arguments.of(new SerializationException("cannot serialize"), false),
        Arguments.of(new UnsupportedVersionException("old broker"), false),
        // retriable: the broker or network may recover
        Arguments.of(new TimeoutException("expired"), true),
        Arguments.of(new BufferExhaustedException("buffer full"), true),
        Arguments.of(new NetworkException("connection lost"), true),
        Arguments.of(new DisconnectException("disconnected"), true),
        Arguments.of(new NotEnoughReplicasException("isr"), true),
        Arguments.of(new NotEnoughReplicasAfterAppendException("isr"), true),
        Arguments.of(new NotLeaderOrFollowerException("moved"), true),
        Arguments.of(new LeaderNotAvailableException("election"), true),
        Arguments.of(new UnknownTopicOrPartitionException("not yet"), true),
        Arguments.of(new CorruptRecordException("crc"), true),
        // unknown: retriable by default
        Arguments.of(new UnknownServerException("boom"), true),
        Arguments.of(new OutOfOrderSequenceException("sequence"), true),
        Arguments.of(new KafkaException("generic"), true),
        Arguments.of(new IllegalStateException("producer closed"), true),
        Arguments.of(new RuntimeException("anything"), true));
  }

  @ParameterizedTest(name = "{0} -> retriable={1}")
  @MethodSource("classification")
  void classifies(Throwable error, boolean retriable) {
    assertThat(KafkaErrorClassifier.isRetriable(error)).isEqualTo(retriable);
    PublishException published = KafkaErrorClassifier.toPublishException(error, TestEvents.event());
    assertThat(published.isRetriable()).isEqualTo(retriable);
    assertThat(published).hasCause(error);
  }

  @Test
  void interruptIsRetriable() {
    try {
      assertThat(KafkaErrorClassifier.isRetriable(new InterruptException("interrupted"))).isTrue();
    } finally {
      // InterruptException re-asserts the interrupt flag; keep it out of the next test.
      Thread.interrupted();
    }
  }

  @Test
  void looksThroughWrappersToThePermanentCause() {
    Throwable wrapped =
        new KafkaException("wrapper", new KafkaException(new RecordTooLargeException("too big")));

    assertThat(KafkaErrorClassifier.isRetriable(wrapped)).isFalse();
  }

  @Test
  void theOutermostKnownTypeDecides() {
    Throwable timeoutCausedByAuth =
        new TimeoutException("timed out", new AuthenticationException("earlier failure"));

    assertThat(KafkaErrorClassifier.isRetriable(timeoutCausedByAuth)).isTrue();
  }

  @Test
  void survivesACyclicCauseChain() {
    RuntimeException first = new RuntimeException("first");
    RuntimeException second = new RuntimeException("second", first);
    first.initCause(second);

    assertThat(KafkaErrorClassifier.isRetriable(first)).isTrue();
  }

  @Test
  void messageNamesEventTopicAndCause() {
    PublishException published =
        KafkaErrorClassifier.toPublishException(
            new RecordTooLargeException("The message is 2000000 bytes"), TestEvents.event());

    assertThat(published.isRetriable()).isFalse();
    assertThat(published.getMessage())
        .contains("evt-1")
        .contains("UserCreated")
        .contains("'user-events'")
        .contains("permanently")
        .contains("RecordTooLargeException")
        .contains("The message is 2000000 bytes");
  }

  @Test
  void unwrapsFutureWrappersSoTheCauseIsTheKafkaError() {
    RecordTooLargeException kafkaError = new RecordTooLargeException("too big");

    PublishException fromCompletion =
        KafkaErrorClassifier.toPublishException(
            new CompletionException(kafkaError), TestEvents.event());
    PublishException fromExecution =
        KafkaErrorClassifier.toPublishException(
            new ExecutionException(kafkaError), TestEvents.event());

    assertThat(fromCompletion).hasCause(kafkaError);
    assertThat(fromCompletion.isRetriable()).isFalse();
    assertThat(fromExecution).hasCause(kafkaError);
  }

  @Test
  void keepsAnAlreadyClassifiedException() {
    PublishException classified = PublishException.permanent("custom", new RuntimeException());

    assertThat(KafkaErrorClassifier.toPublishException(classified, TestEvents.event()))
        .isSameAs(classified);
  }
}
