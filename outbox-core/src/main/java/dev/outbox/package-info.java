/**
 * Transactional outbox: save events with {@link dev.outbox.OutboxWriter} inside your own
 * transaction, and let a {@link dev.outbox.Dispatcher} publish every committed event.
 */
@NullMarked
package dev.outbox;

import org.jspecify.annotations.NullMarked;
