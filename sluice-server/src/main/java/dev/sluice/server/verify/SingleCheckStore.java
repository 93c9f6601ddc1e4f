package dev.sluice.server.verify;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for the daily count of an account's single-address checks made with evaluation keys. Taking a check
 * is one compare-and-set upsert: it adds one only while the day's count is under the limit, so concurrent
 * checks on several nodes never pass the limit together.
 */
@Repository
class SingleCheckStore {

    /** Inserts the day's first check, or adds one to the day's count while it is under the limit. */
    private static final String TAKE = """
            INSERT INTO single_check_usage (account_id, day, checks) VALUES (:account_id, :day, 1)
            ON CONFLICT (account_id, day) DO UPDATE SET checks = single_check_usage.checks + 1
            WHERE single_check_usage.checks < :limit
            """;

    private static final String FORGET_EARLIER_DAYS = """
            DELETE FROM single_check_usage WHERE account_id = :account_id AND day < :day
            """;

    private final JdbcClient jdbc;

    SingleCheckStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Counts one check of the account on {@code day} (UTC epoch day) unless it already made {@code limit};
     * true when counted. Forgets the account's earlier days. Call inside a transaction.
     */
    boolean take(String accountId, long day, long limit) {
        if (limit < 1) {
            return false;
        }
        jdbc.sql(FORGET_EARLIER_DAYS).param("account_id", accountId).param("day", day).update();
        return jdbc.sql(TAKE).param("account_id", accountId).param("day", day).param("limit", limit).update() == 1;
    }
}
