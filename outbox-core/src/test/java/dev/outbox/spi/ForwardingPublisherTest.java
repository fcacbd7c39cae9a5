package dev.outbox.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ForwardingPublisherTest {

  private final List<String> calls = new ArrayList<>();
  private final Publication sent = Publication.of(new CompletableFuture<>());
  private final PublishTimeLimit limit = new PublishTimeLimit(Duration.ofSeconds(3), "a + b");

  private final Publisher wrapped =
      new Publisher() {
        @Override
        public Publication publish(EventRecord event) {
          calls.add("publish " + event.eventId());
          return sent;
        }

        @Override
        public BrokerAvailability checkAvailability(Duration timeout) {
          calls.add("checkAvailability " + timeout);
          return BrokerAvailability.UNAVAILABLE;
        }

        @Override
        public Optional<PublishTimeLimit> publishTimeLimit() {
          calls.add("publishTimeLimit");
          return Optional.of(limit);
        }

        @Override
        public void close() {
          calls.add("close");
        }
      };

  @Test
  void forwardsEveryMethodToTheWrappedPublisher() {
    Publisher forwarding = new ForwardingPublisher(wrapped) {};
    EventRecord event =
        EventRecord.builder()
            .eventId("e-1")
            .eventType("T")
            .aggregateType("A")
            .aggregateId("a")
            .topic("topic")
            .payload("{}")
            .traceparent(null)
            .headers(Map.of())
            .createdAt(Instant.EPOCH)
            .attempt(1)
            .build();

    assertThat(forwarding.publish(event)).isSameAs(sent);
    assertThat(forwarding.checkAvailability(Duration.ofSeconds(2)))
        .isEqualTo(BrokerAvailability.UNAVAILABLE);
    assertThat(forwarding.publishTimeLimit()).contains(limit);
    forwarding.close();

    assertThat(calls)
        .containsExactly("publish e-1", "checkAvailability PT2S", "publishTimeLimit", "close");
  }
}
