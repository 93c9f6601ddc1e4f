-- Retention: when the purge deleted a batch's result, chunk leftovers and SFTP drop copy. The batch row
-- and its counters stay; only the files go.
ALTER TABLE batches ADD COLUMN result_purged_at BIGINT;
CREATE INDEX idx_batches_result_expires_at ON batches (result_expires_at);
