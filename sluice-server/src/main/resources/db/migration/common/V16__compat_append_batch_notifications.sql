-- A batch-file's own listener in the email-append front door (compat.append): the notification_URL and
-- notification_method given when the batch-file was created, told of that batch-file's final state besides
-- the job's listener. The URL is stored sealed (store.UriPasswords) like a job's notification URL. Times are
-- epoch milliseconds (BIGINT) in both dialects so one store code serves both.

CREATE TABLE compat_append_batch_notifications (
    batch_id    TEXT PRIMARY KEY,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    url         TEXT    NOT NULL,
    method      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
