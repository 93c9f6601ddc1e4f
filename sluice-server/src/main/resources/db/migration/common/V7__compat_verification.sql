-- The email batch verification front door (seed 002): its 52-character job ids mapped onto native jobs
-- and batches, account-scoped, with the download mark and the charge; and each account's credit balance.
-- Times are epoch milliseconds (BIGINT) in both dialects so one store code serves both.

CREATE TABLE compat_verification_jobs (
    job_id            TEXT    PRIMARY KEY,
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    native_job_id     TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    native_batch_id   TEXT    NOT NULL,
    submitted_file    TEXT    NOT NULL,
    estm_total_trans  BIGINT  NOT NULL,
    created_at        BIGINT  NOT NULL,
    downloaded_at     BIGINT,
    credit_cost       BIGINT
);
CREATE INDEX idx_compat_verification_jobs_account_id_created_at
    ON compat_verification_jobs (account_id, created_at);
CREATE INDEX idx_compat_verification_jobs_native_job_id ON compat_verification_jobs (native_job_id);

-- Credits an account may spend on chargeable front doors; no row, or a NULL balance, means unlimited.
CREATE TABLE account_credits (
    account_id  TEXT    PRIMARY KEY REFERENCES accounts (id),
    balance     BIGINT
);
