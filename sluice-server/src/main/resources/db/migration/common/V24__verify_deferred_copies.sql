-- Copies of a greylisted address, put aside with it: a row whose copy_of names its batch's first row holding
-- the address is never asked again; it settles with that row's final verdict (kept in verdict_json once
-- settled) when the first row settles and the copy's chunk is done.

ALTER TABLE verify_deferred ADD COLUMN copy_of BIGINT;
ALTER TABLE verify_deferred ADD COLUMN verdict_json TEXT;
