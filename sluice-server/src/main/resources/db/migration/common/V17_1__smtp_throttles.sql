-- SMTP throttles shared by every node (verify.ThrottleStore): connections open at once and RCPT TO per
-- minute, per provider and per domain, so that the limits hold for the cluster together.
--
-- A scope is 'provider:<name>' or 'domain:<domain>'. Its row is locked by every acquisition in the scope
-- (which serialises them on PostgreSQL as SQLite does), counts the RCPT TO granted in the current minute
-- (window_start, epoch ms), and holds a backoff: after a 421 or "too many connections" answer the scope's
-- limits are halved until backoff_until (epoch ms; 0 when none).
CREATE TABLE smtp_throttle_scopes (
    scope          TEXT    PRIMARY KEY,
    window_start   BIGINT  NOT NULL,
    rcpts          INTEGER NOT NULL,
    backoff_until  BIGINT  NOT NULL,
    throttled      INTEGER NOT NULL
);

-- One open SMTP connection: counted in its provider's and its domain's scope while expires_at is ahead.
-- The node that holds it renews expires_at; a node that dies stops renewing and its leases lapse.
CREATE TABLE smtp_throttle_leases (
    id          TEXT   PRIMARY KEY,
    provider    TEXT,
    domain      TEXT   NOT NULL,
    node        TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX idx_smtp_throttle_leases_provider ON smtp_throttle_leases (provider, expires_at);
CREATE INDEX idx_smtp_throttle_leases_domain ON smtp_throttle_leases (domain, expires_at);
CREATE INDEX idx_smtp_throttle_leases_node ON smtp_throttle_leases (node);
