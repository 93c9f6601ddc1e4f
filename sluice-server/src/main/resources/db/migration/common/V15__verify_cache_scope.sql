-- Cached verdicts get a scope (sluice.verify.cache.scope): '' for verdicts every account shares
-- (global), an account id for verdicts only that account may reuse (account), so that a cached
-- answer never tells one account which addresses another one verified. The rows cached so far were
-- shared: they move to scope ''.

ALTER TABLE verify_cache_verdicts RENAME TO verify_cache_verdicts_unscoped;
DROP INDEX idx_verify_cache_verdicts_expires_at;

CREATE TABLE verify_cache_verdicts (
    scope       TEXT    NOT NULL,
    address     TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    role        BOOLEAN NOT NULL,
    disposable  BOOLEAN NOT NULL,
    free        BOOLEAN NOT NULL,
    suggestion  TEXT,
    expires_at  BIGINT  NOT NULL,
    PRIMARY KEY (scope, address)
);
CREATE INDEX idx_verify_cache_verdicts_expires_at ON verify_cache_verdicts (expires_at);

INSERT INTO verify_cache_verdicts (scope, address, status, reason, role, disposable, free, suggestion, expires_at)
SELECT '', address, status, reason, role, disposable, free, suggestion, expires_at FROM verify_cache_verdicts_unscoped;

DROP TABLE verify_cache_verdicts_unscoped;
