package dev.sluice.server.compat.append;

import dev.sluice.server.delivery.BatchNotifications;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.Notification;
import dev.sluice.server.store.UriPasswords;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A batch-file's own {@code notification_URL} and {@code notification_method}, kept with its batch id (URL
 * sealed) and handed to the delivery outbox when that batch-file reaches a final state, besides the job's.
 */
@Repository
class BatchFileListenerStore implements BatchNotifications {

    private static final String INSERT = """
            INSERT INTO compat_append_batch_notifications (batch_id, account_id, url, method, created_at)
            VALUES (:batch_id, :account_id, :url, :method, :now)
            """;

    private static final String SELECT = """
            SELECT url, method FROM compat_append_batch_notifications
            WHERE batch_id = :batch_id AND account_id = :account_id
            """;

    private final JdbcClient jdbc;
    private final UriPasswords passwords;
    private final Clock clock;

    BatchFileListenerStore(JdbcClient jdbc, UriPasswords passwords, Clock clock) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.clock = clock;
    }

    /** Keeps a batch-file's listener, its URL (as the client gave it) sealed. */
    void register(Batch batch, Notification notification) {
        jdbc.sql(INSERT)
                .param("batch_id", batch.id())
                .param("account_id", batch.accountId())
                .param("url", passwords.seal(notification.url()))
                .param("method", notification.method())
                .param("now", clock.millis())
                .update();
    }

    @Override
    public Optional<Notification> of(Job job, Batch batch) {
        return jdbc.sql(SELECT)
                .param("batch_id", batch.id())
                .param("account_id", batch.accountId())
                .query((rs, row) -> new Notification(rs.getString("url"), rs.getString("method")))
                .optional();
    }
}
