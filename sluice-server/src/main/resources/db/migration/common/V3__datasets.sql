-- Reference datasets: the schema here, the records in a table of their own per dataset (table_name).

CREATE TABLE datasets (
    id           TEXT PRIMARY KEY,
    account_id   TEXT   NOT NULL REFERENCES accounts (id),
    name         TEXT   NOT NULL,
    schema_json  TEXT   NOT NULL,
    table_name   TEXT   NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX idx_datasets_account_id_name ON datasets (account_id, name);

-- Operation options of a job (JSON object), and counters of the dataset operations.
ALTER TABLE jobs ADD COLUMN options_json TEXT;
ALTER TABLE jobs ADD COLUMN records_completed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN records_failed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN records_ignored BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN source_uri TEXT;
ALTER TABLE batches ADD COLUMN result_name TEXT;
ALTER TABLE batches ADD COLUMN records_completed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN records_failed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE batches ADD COLUMN records_ignored BIGINT NOT NULL DEFAULT 0;

-- Per-record outcomes of dataset operations: completed / failed (with error) / ignored, by 0-based index.
CREATE TABLE record_outcomes (
    batch_id  TEXT   NOT NULL,
    idx       BIGINT NOT NULL,
    outcome   TEXT   NOT NULL,
    error     TEXT,
    PRIMARY KEY (batch_id, idx)
);
CREATE INDEX idx_record_outcomes_batch_id_outcome_idx ON record_outcomes (batch_id, outcome, idx);
