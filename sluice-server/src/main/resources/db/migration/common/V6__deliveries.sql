-- Notifications: the outbox (one row per event to send), every attempt at sending it, and the per-account
-- signing secret. An outbox row is written in the transaction that moves its batch to a final status.
-- Times are epoch milliseconds (BIGINT) in both dialects so one store code serves both.

CREATE TABLE deliveries (
    id                     TEXT PRIMARY KEY,
    account_id             TEXT    NOT NULL REFERENCES accounts (id),
    job_id                 TEXT    NOT NULL,
    batch_id               TEXT,
    url                    TEXT    NOT NULL,
    method                 TEXT    NOT NULL,
    event_type             TEXT    NOT NULL,
    payload                TEXT    NOT NULL,
    status                 TEXT    NOT NULL,
    version                BIGINT  NOT NULL,
    attempts               INTEGER NOT NULL,
    redeliveries           INTEGER NOT NULL,
    attempts_before_round  INTEGER NOT NULL,
    next_attempt_at        BIGINT,
    last_status_code       INTEGER,
    last_error             TEXT,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL,
    delivered_at           BIGINT
);
-- one notification per batch and event, however often a listener is told
CREATE UNIQUE INDEX idx_deliveries_batch_id_event_type ON deliveries (batch_id, event_type);
CREATE INDEX idx_deliveries_account_id_job_id ON deliveries (account_id, job_id);

CREATE TABLE delivery_attempts (
    delivery_id  TEXT    NOT NULL REFERENCES deliveries (id),
    attempt      INTEGER NOT NULL,
    at           BIGINT  NOT NULL,
    status_code  INTEGER,
    error        TEXT,
    duration_ms  BIGINT  NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE webhook_secrets (
    account_id  TEXT PRIMARY KEY REFERENCES accounts (id),
    secret      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
