package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.server.account.Account;
import dev.sluice.server.account.AccountStore;
import dev.sluice.server.support.TestDatabase;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The daily count of single-address checks on every store: a compare-and-set that stops at the limit. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class SingleCheckStoreContractTest {

    static final long DAY = 20_468;

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    HikariDataSource dataSource;
    JdbcClient jdbc;
    TransactionTemplate tx;
    SingleCheckStore store;

    @BeforeEach
    void migrate() {
        dataSource = database.newMigratedDataSource(dir);
        jdbc = JdbcClient.create(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        store = new SingleCheckStore(jdbc);
        AccountStore accounts = new AccountStore(jdbc);
        accounts.insertAccount(new Account("acc_alice", "Alice", false, Instant.EPOCH));
        accounts.insertAccount(new Account("acc_bob", "Bob", false, Instant.EPOCH));
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private boolean take(String account, long day, long limit) {
        return Boolean.TRUE.equals(tx.execute(status -> store.take(account, day, limit)));
    }

    @Test
    void checks_are_counted_up_to_the_limit_per_account_and_day() {
        // when
        boolean first = take("acc_alice", DAY, 2);
        boolean second = take("acc_alice", DAY, 2);
        boolean third = take("acc_alice", DAY, 2);
        boolean otherAccount = take("acc_bob", DAY, 2);
        boolean nextDay = take("acc_alice", DAY + 1, 2);

        // then
        assertThat(first).isTrue();
        assertThat(second).isTrue();
        assertThat(third).isFalse();
        assertThat(otherAccount).isTrue();
        assertThat(nextDay).isTrue();
    }

    @Test
    void a_new_day_forgets_the_accounts_earlier_days_only() {
        // given
        take("acc_alice", DAY, 5);
        take("acc_bob", DAY, 5);

        // when
        take("acc_alice", DAY + 1, 5);

        // then
        assertThat(jdbc.sql("SELECT account_id, day FROM single_check_usage ORDER BY account_id")
                .query((rs, row) -> rs.getString(1) + "/" + rs.getLong(2)).list())
                .containsExactly("acc_alice/" + (DAY + 1), "acc_bob/" + DAY);
    }

    @Test
    void a_limit_of_zero_takes_nothing() {
        assertThat(take("acc_alice", DAY, 0)).isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM single_check_usage").query(Long.class).single()).isZero();
    }
}
