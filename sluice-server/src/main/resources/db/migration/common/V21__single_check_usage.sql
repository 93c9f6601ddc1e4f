-- Single-address checks (POST /api/v1/verify) made with evaluation keys, counted per account and day
-- (sluice.verify.single.evaluation-daily-limit). The day is the UTC epoch day; an account's rows of
-- earlier days are deleted when it makes its next check, so the table holds about one row per account.

CREATE TABLE single_check_usage (
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    day         BIGINT  NOT NULL,
    checks      BIGINT  NOT NULL,
    PRIMARY KEY (account_id, day)
);
