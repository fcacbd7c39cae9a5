package dev.outbox.relay;

/**
 * What one {@code outbox check} writes: its run id (which every event id and aggregate id starts
 * with, and which its clean-up deletes by), topic, events, aggregates, writers and rate.
 */
record CheckPlan(String runId, String topic, int events, int aggregates, int writers, int rate) {}
