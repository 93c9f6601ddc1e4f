-- A cached verdict keeps the provider of its domain (sluice_provider), so that a row served from the
-- cache names the same provider as the row that verified it. Rows cached before have none (NULL: the
-- result shows an empty cell, as when DNS did not run).

ALTER TABLE verify_cache_verdicts ADD COLUMN provider TEXT;
