-- An API key can be revoked: it stops authenticating at once and is kept (with its prefix) so that what
-- was done with it still names it. Epoch milliseconds, NULL while the key is active.
ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT;
