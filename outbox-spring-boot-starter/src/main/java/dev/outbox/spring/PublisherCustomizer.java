package dev.outbox.spring;

import dev.outbox.spi.Publisher;

/**
 * Wraps the publisher the auto-configured dispatcher uses (the application's or the Kafka one), for
 * tracing and the like; any number of beans, applied in order.
 */
@FunctionalInterface
public interface PublisherCustomizer {

  Publisher customize(Publisher publisher);
}
