-- Greylisting and other temporary SMTP answers, the long way (sluice.verify.smtp.retry-after): an address
-- answered 4xx is put aside and asked again later by a scheduled task. Its row says where its result row
-- lies in the chunk's part (part_start..part_end) so the later answer replaces just those bytes at assembly.
-- records_deferred counts a batch's (and job's) records waiting for such a retry, not yet processed.

ALTER TABLE batches ADD COLUMN records_deferred BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN records_deferred BIGINT NOT NULL DEFAULT 0;

CREATE TABLE verify_deferred (
    batch_id    TEXT    NOT NULL,
    row_number  BIGINT  NOT NULL,
    job_id      TEXT    NOT NULL,
    chunk_index INTEGER NOT NULL,
    cell        TEXT    NOT NULL,
    fields_json TEXT    NOT NULL,
    part_start  BIGINT  NOT NULL,
    part_end    BIGINT  NOT NULL,
    attempt     INTEGER NOT NULL,
    due_at      BIGINT,
    status      TEXT    NOT NULL,
    row_text    TEXT,
    PRIMARY KEY (batch_id, row_number)
);
CREATE INDEX idx_verify_deferred_batch_id_due_at ON verify_deferred (batch_id, due_at);
CREATE INDEX idx_verify_deferred_job_id_due_at ON verify_deferred (job_id, due_at);
