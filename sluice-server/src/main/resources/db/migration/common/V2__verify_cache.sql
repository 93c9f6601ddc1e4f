-- The verification cache, shared by every job and account: verdicts by normalised address and facts
-- by domain, each until expires_at (epoch milliseconds).

CREATE TABLE verify_cache_verdicts (
    address     TEXT PRIMARY KEY,
    status      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    role        BOOLEAN NOT NULL,
    disposable  BOOLEAN NOT NULL,
    free        BOOLEAN NOT NULL,
    suggestion  TEXT,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX idx_verify_cache_verdicts_expires_at ON verify_cache_verdicts (expires_at);

CREATE TABLE verify_cache_domains (
    domain      TEXT PRIMARY KEY,
    facts_json  TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX idx_verify_cache_domains_expires_at ON verify_cache_domains (expires_at);
