-- Times are epoch milliseconds (BIGINT) in both dialects so one store code serves both.

CREATE TABLE accounts (
    id          TEXT PRIMARY KEY,
    name        TEXT    NOT NULL,
    admin       BOOLEAN NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    kind        TEXT    NOT NULL,
    key_hash    TEXT    NOT NULL UNIQUE,
    key_prefix  TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX idx_api_keys_account_id ON api_keys (account_id);

CREATE TABLE jobs (
    id                  TEXT PRIMARY KEY,
    account_id          TEXT    NOT NULL REFERENCES accounts (id),
    name                TEXT    NOT NULL,
    operation           TEXT    NOT NULL,
    output_format       TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    version             BIGINT  NOT NULL,
    notification_url    TEXT,
    notification_method TEXT,
    retention_hours     INTEGER NOT NULL,
    idempotency_key     TEXT,
    request_hash        TEXT,
    records_total       BIGINT  NOT NULL DEFAULT 0,
    records_processed   BIGINT  NOT NULL DEFAULT 0,
    records_valid       BIGINT  NOT NULL DEFAULT 0,
    records_invalid     BIGINT  NOT NULL DEFAULT 0,
    records_accept_all  BIGINT  NOT NULL DEFAULT 0,
    records_unknown     BIGINT  NOT NULL DEFAULT 0,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
CREATE INDEX idx_jobs_account_id_id ON jobs (account_id, id);
CREATE UNIQUE INDEX idx_jobs_account_id_idempotency_key ON jobs (account_id, idempotency_key);

CREATE TABLE batches (
    id                  TEXT PRIMARY KEY,
    job_id              TEXT    NOT NULL REFERENCES jobs (id),
    account_id          TEXT    NOT NULL REFERENCES accounts (id),
    source              TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    version             BIGINT  NOT NULL,
    file_name           TEXT,
    input_key           TEXT,
    size_bytes          BIGINT,
    sha256              TEXT,
    upload_expires_at   BIGINT,
    record_limit        BIGINT  NOT NULL,
    columns_json        TEXT,
    key_column          INTEGER,
    charset             TEXT,
    delimiter           TEXT,
    records_total       BIGINT  NOT NULL DEFAULT 0,
    records_processed   BIGINT  NOT NULL DEFAULT 0,
    records_valid       BIGINT  NOT NULL DEFAULT 0,
    records_invalid     BIGINT  NOT NULL DEFAULT 0,
    records_accept_all  BIGINT  NOT NULL DEFAULT 0,
    records_unknown     BIGINT  NOT NULL DEFAULT 0,
    chunks_total        INTEGER NOT NULL DEFAULT 0,
    chunks_done         INTEGER NOT NULL DEFAULT 0,
    error_code          TEXT,
    error_message       TEXT,
    result_format       TEXT,
    result_expires_at   BIGINT,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL,
    started_at          BIGINT,
    completed_at        BIGINT
);
CREATE INDEX idx_batches_job_id ON batches (job_id);

CREATE TABLE chunks (
    batch_id     TEXT    NOT NULL REFERENCES batches (id),
    idx          INTEGER NOT NULL,
    status       TEXT    NOT NULL,
    version      BIGINT  NOT NULL,
    first_row    BIGINT  NOT NULL,
    records      BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    PRIMARY KEY (batch_id, idx)
);

CREATE TABLE events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      TEXT    NOT NULL,
    account_id  TEXT    NOT NULL,
    batch_id    TEXT,
    type        TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    at          BIGINT  NOT NULL
);
CREATE INDEX idx_events_job_id_id ON events (job_id, id);

CREATE TABLE secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);

-- db-scheduler's table (its timestamps are its own business: JDBC timestamps)
CREATE TABLE scheduled_tasks (
    task_name            TEXT      NOT NULL,
    task_instance        TEXT      NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN   NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INTEGER,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT    NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX idx_scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX idx_scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
