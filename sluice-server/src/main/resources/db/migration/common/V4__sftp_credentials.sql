-- SFTP drop logins: one per account, rotated in place. Only a salted PBKDF2 hash of the password is kept.
-- Times are epoch milliseconds (BIGINT) in both dialects so one store code serves both.

CREATE TABLE sftp_credentials (
    account_id     TEXT PRIMARY KEY REFERENCES accounts (id),
    username       TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL
);
