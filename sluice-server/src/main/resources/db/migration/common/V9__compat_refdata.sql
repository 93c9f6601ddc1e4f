-- The reference-data file import front door (seed 003): a ticket is a native import job (same id) whose
-- one batch is the async result (same id). Kept here: what the ticket echoes of the request (its id, the
-- Api-User, the URL it was sent to, the base URL links are made from) and the caller's responseUri and
-- responseRef. Times are epoch milliseconds (BIGINT) in both dialects so one store code serves both.

CREATE TABLE compat_refdata_tickets (
    ticket_id     TEXT    PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    account_id    TEXT    NOT NULL REFERENCES accounts (id),
    batch_id      TEXT    NOT NULL,
    dataset       TEXT    NOT NULL,
    request_id    TEXT    NOT NULL,
    api_user      TEXT    NOT NULL,
    request_uri   TEXT    NOT NULL,
    base_url      TEXT    NOT NULL,
    response_uri  TEXT,
    response_ref  TEXT,
    created_at    BIGINT  NOT NULL
);
CREATE UNIQUE INDEX idx_compat_refdata_tickets_batch_id ON compat_refdata_tickets (batch_id);
CREATE INDEX idx_compat_refdata_tickets_account_id ON compat_refdata_tickets (account_id);
