-- Flyway migration V2 of the outbox's tables (dev.outbox) for PostgreSQL 12+, default table names,
-- run after V1 with the same history table. Never edit it once released. Its statement ends
-- dev/outbox/schema/postgresql.sql, which OutboxSchema.create runs (a test keeps them equal).
-- replayed_at: when a dead letter was last put back into the outbox, NULL for an event never
-- replayed. Its publishing latency counts from then, while created_at stays when it was written.
-- IF NOT EXISTS, as tables that OutboxSchema.create made since have the column already.
ALTER TABLE outbox_events ADD COLUMN IF NOT EXISTS replayed_at TIMESTAMPTZ;
