/**
 * Extension points: implement {@link dev.outbox.spi.Publisher} to deliver events somewhere other
 * than Kafka.
 */
@NullMarked
package dev.outbox.spi;

import org.jspecify.annotations.NullMarked;
