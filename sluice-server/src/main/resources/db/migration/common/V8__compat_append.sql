-- Authorization tokens of the email-append front door (compat.append): a token is good for one API key
-- until it expires. Only the SHA-256 of the token is kept. Times are epoch milliseconds (BIGINT) in both
-- dialects so one store code serves both.

CREATE TABLE compat_append_tokens (
    token_hash  TEXT PRIMARY KEY,
    key_id      TEXT    NOT NULL REFERENCES api_keys (id),
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX idx_compat_append_tokens_expires_at ON compat_append_tokens (expires_at);
