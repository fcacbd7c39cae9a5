/**
 * Extension points: implement {@link dev.outbox.spi.Publisher} to deliver events somewhere other
 * than Kafka; each publish answers with a {@link dev.outbox.spi.Publication}.
 */
@NullMarked
package dev.outbox.spi;

import org.jspecify.annotations.NullMarked;
