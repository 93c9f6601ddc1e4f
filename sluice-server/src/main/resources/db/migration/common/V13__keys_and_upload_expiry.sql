-- An API key can be revoked: it stops authenticating at once and is kept (with its prefix) so that what
-- was done with it still names it. Epoch milliseconds, NULL while the key is active.
ALTER TABLE api_keys ADD COLUMN revoked_at BIGINT;

-- Batches still waiting for a file long after their upload link expired end as failed (upload_expired);
-- the sweep finds them by status and expiry.
CREATE INDEX idx_batches_status_upload_expires_at ON batches (status, upload_expires_at);
