-- SMTP transcripts of verify jobs created with the "transcripts" option. A conversation (one SMTP
-- connection) is stored once, however many addresses of its domain it asked about; each address has one
-- row naming the conversations behind its verdict. Rows of a chunk are replaced when the chunk runs again
-- and deleted with the batch's retention or its job.
CREATE TABLE smtp_conversations (
    batch_id    TEXT    NOT NULL REFERENCES batches (id),
    chunk_idx   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    job_id      TEXT    NOT NULL,
    mx_host     TEXT    NOT NULL,
    mx_address  TEXT    NOT NULL,
    port        INTEGER NOT NULL,
    proxy       TEXT,
    probe       TEXT,
    failure     TEXT,
    lines       TEXT    NOT NULL,
    PRIMARY KEY (batch_id, chunk_idx, seq)
);

CREATE TABLE smtp_transcripts (
    batch_id      TEXT    NOT NULL REFERENCES batches (id),
    email         TEXT    NOT NULL,
    job_id        TEXT    NOT NULL,
    normalized    TEXT,
    chunk_idx     INTEGER NOT NULL,
    status        TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    conversations TEXT    NOT NULL,
    PRIMARY KEY (batch_id, email)
);
