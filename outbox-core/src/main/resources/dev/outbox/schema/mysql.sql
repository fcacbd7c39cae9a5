-- Outbox schema for MySQL 8+ and MariaDB 10.6+. Flyway and Liquibase: dev/outbox/db/.
-- Statuses: pending -> processing -> sent | retry | failed; failed rows move to outbox_deadletters.
-- The payload is LONGTEXT, not JSON: MySQL's JSON type rewrites documents, and the outbox
-- publishes exactly what was written.
-- next_attempt_at is set only while a row waits to be claimed, so its index holds no sent rows
-- and the claim stays fast however many sent rows are kept.
CREATE TABLE IF NOT EXISTS outbox_events (
    id              BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id        VARCHAR(128)  NOT NULL,
    event_type      VARCHAR(255)  NOT NULL,
    aggregate_type  VARCHAR(255)  NOT NULL,
    aggregate_id    VARCHAR(255)  NOT NULL,
    topic           VARCHAR(249)  NOT NULL,
    payload         LONGTEXT      NOT NULL,
    headers         TEXT,
    traceparent     VARCHAR(55),
    status          VARCHAR(16)   NOT NULL,
    attempts        INT           NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6),
    locked_by       VARCHAR(64),
    locked_until    DATETIME(6),
    last_error      VARCHAR(2000),
    created_at      DATETIME(6)   NOT NULL,
    sent_at         DATETIME(6),
    UNIQUE KEY outbox_events_event_id_uq (event_id),
    KEY outbox_events_due_idx (next_attempt_at, id),
    KEY outbox_events_aggregate_idx (aggregate_id, aggregate_type, status, id),
    -- Also serves the stuck-event check (status = 'processing'), so leases need no index of their own.
    KEY outbox_events_status_idx (status, sent_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS outbox_deadletters (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    event_id         VARCHAR(128)  NOT NULL,
    original_id      BIGINT        NOT NULL,
    event_type       VARCHAR(255)  NOT NULL,
    aggregate_type   VARCHAR(255)  NOT NULL,
    aggregate_id     VARCHAR(255)  NOT NULL,
    topic            VARCHAR(249)  NOT NULL,
    payload          LONGTEXT      NOT NULL,
    headers          TEXT,
    traceparent      VARCHAR(55),
    attempts         INT           NOT NULL,
    last_error       VARCHAR(2000),
    created_at       DATETIME(6)   NOT NULL,
    dead_lettered_at DATETIME(6)   NOT NULL,
    UNIQUE KEY outbox_deadletters_event_id_uq (event_id),
    KEY outbox_deadletters_aggregate_idx (aggregate_id, aggregate_type, original_id),
    KEY outbox_deadletters_time_idx (dead_lettered_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Added after the first release (Flyway V2), so that tables made before get it too:
-- replayed_at, when a dead letter was last put back into the outbox, NULL for an event never
-- replayed. Its publishing latency counts from then, while created_at stays when it was written.
-- MySQL has no ADD COLUMN IF NOT EXISTS (MariaDB has): the column is added only where
-- information_schema does not list it. OutboxSchema puts other table names, schema-qualified or
-- not, in place of outbox_events, also in the quoted ones: hence the schema taken from the name
-- if it has one.
SET @outbox_add_replayed_at = (
    SELECT IF(COUNT(*) = 0, 'ALTER TABLE outbox_events ADD COLUMN replayed_at DATETIME(6)', 'DO 0')
    FROM information_schema.columns
    WHERE table_schema = IF(LOCATE('.', 'outbox_events') > 0, SUBSTRING_INDEX('outbox_events', '.', 1), DATABASE())
    AND table_name = SUBSTRING_INDEX('outbox_events', '.', -1)
    AND column_name = 'replayed_at');
PREPARE outbox_add_replayed_at FROM @outbox_add_replayed_at;
EXECUTE outbox_add_replayed_at;
DEALLOCATE PREPARE outbox_add_replayed_at;
