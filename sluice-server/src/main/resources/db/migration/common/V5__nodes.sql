-- The nodes of a deployment and their last heartbeat (epoch milliseconds).

CREATE TABLE nodes (
    id            TEXT PRIMARY KEY,
    roles         TEXT   NOT NULL,
    started_at    BIGINT NOT NULL,
    heartbeat_at  BIGINT NOT NULL
);
