-- The estimate of a batch of the estimate operation (a JSON object: records, distinct addresses, already
-- invalid, cached, addresses that still need SMTP by provider, credits a verify would cost, ETA), written in the
-- transaction that completes the batch. NULL for every other operation.

ALTER TABLE batches ADD COLUMN estimate_json TEXT;
