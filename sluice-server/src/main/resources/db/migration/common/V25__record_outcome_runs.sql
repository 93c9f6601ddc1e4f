-- Per-record outcomes kept as runs: consecutive indexes with one outcome and no error are one row, so an
-- import of a million records that all completed writes one row instead of a million. A failed record keeps
-- its own row with its error. Runs of a batch never overlap, so ordering by last_idx orders them by index.
CREATE TABLE record_outcome_runs (
    batch_id  TEXT   NOT NULL,
    first_idx BIGINT NOT NULL,
    last_idx  BIGINT NOT NULL,
    outcome   TEXT   NOT NULL,
    error     TEXT,
    PRIMARY KEY (batch_id, last_idx)
);
CREATE INDEX idx_record_outcome_runs_batch_id_outcome_last_idx ON record_outcome_runs (batch_id, outcome, last_idx);

INSERT INTO record_outcome_runs (batch_id, first_idx, last_idx, outcome, error)
    SELECT batch_id, idx, idx, outcome, error FROM record_outcomes;
DROP TABLE record_outcomes;
