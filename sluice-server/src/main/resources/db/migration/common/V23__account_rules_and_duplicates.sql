-- An account's own verification rules (PUT /api/v1/verify/rules replaces the whole list): a match such as
-- domain:example.com and the status it gives, in the order the account wrote them (rule_index from 0).
-- And the duplicates counter of a verify batch and its job: records whose address repeats an earlier record
-- of the same batch after normalisation, verified once and given the first copy's verdict.

CREATE TABLE account_rules (
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    rule_index  INTEGER NOT NULL,
    rule_match  TEXT    NOT NULL,
    rule_status TEXT    NOT NULL,
    PRIMARY KEY (account_id, rule_index)
);

ALTER TABLE batches ADD COLUMN records_duplicates BIGINT NOT NULL DEFAULT 0;

ALTER TABLE jobs ADD COLUMN records_duplicates BIGINT NOT NULL DEFAULT 0;
