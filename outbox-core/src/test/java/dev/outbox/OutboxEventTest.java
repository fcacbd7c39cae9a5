package dev.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbox.spi.PayloadSerializer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OutboxEventTest {

  private static OutboxEvent.Builder valid() {
    return OutboxEvent.builder()
        .eventType("UserCreated")
        .aggregateType("User")
        .aggregateId("user-1")
        .topic("user-events")
        .payload(Map.of("id", "user-1"));
  }

  @Test
  void factoryTurnsAMapIntoJsonAndKeepsEveryField() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("product_id", "product-789");
    payload.put("name", "Example \"Product\"\n");
    payload.put("price", 29.99);
    payload.put("tags", List.of("a", 1, true));
    payload.put("none", null);

    OutboxEvent event =
        OutboxEvent.of(
            "evt-004", "ProductCreated", "Product", "product-789", "product-events", payload);

    assertThat(event.eventId()).isEqualTo("evt-004");
    assertThat(event.eventType()).isEqualTo("ProductCreated");
    assertThat(event.aggregateType()).isEqualTo("Product");
    assertThat(event.aggregateId()).isEqualTo("product-789");
    assertThat(event.topic()).isEqualTo("product-events");
    assertThat(event.payload())
        .isEqualTo(
            "{\"product_id\":\"product-789\",\"name\":\"Example \\\"Product\\\"\\n\","
                + "\"price\":29.99,\"tags\":[\"a\",1,true],\"none\":null}");
    assertThat(event.traceparent()).isNull();
  }

  @Test
  /**
   * Regression: a String payload became a JSON string, so JSON text from Jackson passed this way
   * was stored double-encoded without a word.
   */
  void aStringPayloadIsRefusedNamingPayloadJson() {
    assertThatThrownBy(() -> OutboxEvent.of("e", "T", "A", "1", "t", "{\"id\":1}"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("payload is a String: pass JSON text with payloadJson(String)");
    assertThat(valid().payloadJson("{\"id\":1}").build().payload()).isEqualTo("{\"id\":1}");
  }

  /** Regression: a null element in an array payload threw a bare NullPointerException. */
  @Test
  void nullsInsideAPayloadAreJsonNullsAndProblemsInsideItNameTheirPath() {
    assertThat(valid().payload(new Object[] {1, null}).build().payload()).isEqualTo("[1,null]");
    Map<String, Object> withNull = new java.util.HashMap<>();
    withNull.put("gone", null);
    assertThat(valid().payload(withNull).build().payload()).isEqualTo("{\"gone\":null}");
    assertThatThrownBy(
            () ->
                valid()
                    .payload(
                        Map.of("items", List.of(Map.of("price", 1), Map.of("price", Double.NaN)))))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> assertThat(e.field()).isEqualTo("payload.items[1].price"))
        .hasMessage("payload.items[1].price holds the number NaN, which JSON cannot represent");
    assertThatThrownBy(() -> valid().payload(null)).hasMessage("payload is required but was null");
  }

  record Order(String id) {}

  @Test
  void aBuilderWritesPayloadsWithTheSerializerItWasGivenAndChecksWhatItWrote() {
    PayloadSerializer serializer =
        value -> value instanceof Order order ? "{\"id\":\"" + order.id() + "\"}" : "{oops";
    assertThat(withSerializer(serializer).payload(new Order("o-1")).build().payload())
        .isEqualTo("{\"id\":\"o-1\"}");
    assertThatThrownBy(() -> withSerializer(serializer).payload(List.of()).build())
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("payload is not valid JSON");
    PayloadSerializer failing =
        value -> {
          throw new IllegalStateException("no serializer for Order");
        };
    assertThatThrownBy(() -> withSerializer(failing).payload(new Order("o-2")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage(
            "payload could not be written as JSON by the payload serializer: no serializer for"
                + " Order");
  }

  private static OutboxEvent.Builder withSerializer(PayloadSerializer serializer) {
    return OutboxEvent.builder(serializer)
        .eventType("OrderPlaced")
        .aggregateType("Order")
        .aggregateId("o-1")
        .topic("orders");
  }

  @Test
  void headersKeepTheOrderTheyWereGivenIn() {
    OutboxEvent event = valid().header("z", "1").header("a", "2").header("m", "3").build();
    assertThat(event.headers().keySet()).containsExactly("z", "a", "m");
    assertThat(event.toBuilder().build().headers().keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void generatesATimeOrderedIdWhenNoneIsGiven() {
    OutboxEvent first = valid().build();
    OutboxEvent second = valid().build();
    assertThat(first.eventId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(first.eventId()).isNotEqualTo(second.eventId());
  }

  @Test
  void traceIdAndSpanIdBecomeAW3cTraceparent() {
    OutboxEvent event =
        valid().trace("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7").build();
    assertThat(event.traceparent())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(event.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(event.spanId()).isEqualTo("00f067aa0ba902b7");
  }

  @Test
  void toBuilderCopiesEverything() {
    OutboxEvent event =
        valid()
            .eventId("x")
            .traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
            .header("h", "v")
            .build();
    assertThat(event.toBuilder().build()).isEqualTo(event);
  }

  static Stream<Arguments> invalidEvents() {
    return Stream.of(
        invalid("eventId", b -> b.eventId(" "), "must not be blank"),
        invalid("eventId", b -> b.eventId("x".repeat(129)), "at most 128"),
        invalid("eventType", b -> b.eventType(null), "required"),
        invalid("eventType", b -> b.eventType(""), "must not be blank"),
        invalid("aggregateType", b -> b.aggregateType("\t"), "must not be blank"),
        invalid("aggregateId", b -> b.aggregateId(null), "required"),
        invalid("aggregateId", b -> b.aggregateId("a\u0000b"), "NUL"),
        invalid("topic", b -> b.topic("user events"), "may contain only"),
        invalid("topic", b -> b.topic(".."), "must not be"),
        invalid("topic", b -> b.topic("t".repeat(250)), "at most 249"),
        invalid("payload", b -> b.payloadJson("{\"a\": }"), "not valid JSON"),
        invalid("payload", b -> b.payloadJson("{} trailing"), "not valid JSON"),
        invalid("payload", b -> b.payloadJson("   "), "blank"),
        invalid("payload", b -> b.payload(new Object()), "the built-in serializer cannot write"),
        invalid("payload.n", b -> b.payload(Map.of("n", Double.NaN)), "cannot represent"),
        invalid("traceparent", b -> b.traceparent("00-abc-def-01"), "not a W3C traceparent"),
        invalid("traceId", b -> b.trace("0".repeat(32), "00f067aa0ba902b7"), "not all zero"),
        invalid(
            "spanId", b -> b.trace("4bf92f3577b34da6a3ce929d0e0e4736", "XYZ"), "16 lowercase hex"),
        invalid("headers[h]", b -> b.header("h", "x".repeat(5000)), "at most 4096"),
        invalid("headers[event_id]", b -> b.header("event_id", "forged"), "reserved"),
        invalid("headers[traceparent]", b -> b.header("traceparent", "00-…"), "reserved"),
        invalid(
            "headers",
            b -> {
              for (int i = 0; i < 5; i++) {
                b.header("h" + i, "x".repeat(4000));
              }
            },
            "at most 16384"));
  }

  private static Arguments invalid(
      String field, Consumer<OutboxEvent.Builder> change, String problem) {
    return Arguments.of(field, change, problem);
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("invalidEvents")
  void invalidFieldIsRefusedNamingIt(
      String field, Consumer<OutboxEvent.Builder> change, String problem) {
    assertThatThrownBy(
            () -> {
              OutboxEvent.Builder builder = valid();
              change.accept(builder);
              builder.build();
            })
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageStartingWith(field + " ")
        .hasMessageContaining(problem);
  }
}
