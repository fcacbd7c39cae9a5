package dev.outbox.spi;

import dev.outbox.internal.Json;

/**
 * Turns a payload object into the JSON text the outbox stores and publishes. The built-in one,
 * {@link #PLAIN_VALUES}, writes Maps, Lists, arrays, Strings, numbers, booleans, enums, UUIDs and
 * {@code java.time} values and needs no library; an application with a JSON library plugs it in
 * here, so that its domain objects are written as everywhere else in the application (Spring Boot's
 * starter does so with the application's JSON mapper). Whatever a serializer returns is checked to
 * be one JSON document before it is used.
 */
@FunctionalInterface
public interface PayloadSerializer {

  /** The dependency-free serializer of plain values, the default. */
  PayloadSerializer PLAIN_VALUES = Json::write;

  /**
   * The payload as JSON text.
   *
   * @param payload never {@code null}, and never a {@code String}: text is refused before, since a
   *     serializer would write it as a JSON string, whereas a caller passing text usually means it
   *     as JSON already ({@code payloadJson} takes that)
   * @throws RuntimeException when the value has no JSON form; its message is reported as the
   *     payload's problem
   * @return the JSON text, written into the {@code payload} column as it is
   */
  String toJson(Object payload);
}
