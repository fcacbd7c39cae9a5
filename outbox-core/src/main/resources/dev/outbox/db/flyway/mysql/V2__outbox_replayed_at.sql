-- Flyway migration V2 of the outbox's tables (dev.outbox) for MySQL 8+, default table names,
-- run after V1 with the same history table. Never edit it once released. Its statements end
-- dev/outbox/schema/mysql.sql, which OutboxSchema.create runs (a test keeps them equal).
-- replayed_at: when a dead letter was last put back into the outbox, NULL for an event never
-- replayed. Its publishing latency counts from then, while created_at stays when it was written.
-- MySQL has no ADD COLUMN IF NOT EXISTS (MariaDB has, but both run these statements): the column
-- is added only where information_schema does not list it, as tables that OutboxSchema.create
-- made since have it already. OutboxSchema puts other table names, schema-qualified or not, in
-- place of outbox_events, also in the quoted ones: hence the schema taken from the name if it
-- has one.
SET @outbox_add_replayed_at = (
    SELECT IF(COUNT(*) = 0, 'ALTER TABLE outbox_events ADD COLUMN replayed_at DATETIME(6)', 'DO 0')
    FROM information_schema.columns
    WHERE table_schema = IF(LOCATE('.', 'outbox_events') > 0, SUBSTRING_INDEX('outbox_events', '.', 1), DATABASE())
    AND table_name = SUBSTRING_INDEX('outbox_events', '.', -1)
    AND column_name = 'replayed_at');
PREPARE outbox_add_replayed_at FROM @outbox_add_replayed_at;
EXECUTE outbox_add_replayed_at;
DEALLOCATE PREPARE outbox_add_replayed_at;
