/**
 * Micrometer meters for the outbox: {@link dev.outbox.micrometer.OutboxMetrics} binds a
 * dispatcher's counters, latency timers and backlog gauges to any {@code MeterRegistry}.
 */
@NullMarked
package dev.outbox.micrometer;

import org.jspecify.annotations.NullMarked;
