package dev.outbox.spring;

import dev.outbox.OutboxWriter;

/** Adjusts the auto-configured {@link OutboxWriter} before it is built; any number of beans. */
@FunctionalInterface
public interface OutboxWriterCustomizer {

  void customize(OutboxWriter.Builder builder);
}
