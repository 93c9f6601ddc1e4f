package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.verify.ThrottleStore.Kind;
import dev.sluice.server.verify.ThrottleStore.ProviderState;
import dev.sluice.server.verify.ThrottleStore.ScopeLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
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

/** The contract {@link ThrottleStore} keeps on every dialect, each test on a fresh, migrated database. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class ThrottleStoreContractTest {

    static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");
    static final Duration TTL = Duration.ofSeconds(60);
    static final ScopeLimit GOOGLE = new ScopeLimit(Kind.PROVIDER, "google", 2, 5);
    static final ScopeLimit DOMAIN = new ScopeLimit(Kind.DOMAIN, "example.net", 10, 0);

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    HikariDataSource dataSource;
    ThrottleStore store;

    @BeforeEach
    void migrate() {
        dataSource = database.newMigratedDataSource(dir);
        store = new ThrottleStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void a_provider_scope_grants_no_more_leases_than_its_limit_until_one_is_released() {
        // given two leases, from two nodes, on a provider allowing two
        assertThat(lease("a", "node-1", T0)).isTrue();
        assertThat(lease("b", "node-2", T0)).isTrue();

        // when a third is asked
        boolean third = lease("c", "node-1", T0);

        // then it waits until one is given back
        assertThat(third).isFalse();
        store.release("a");
        assertThat(lease("c", "node-1", T0)).isTrue();
        assertThat(store.providers(T0)).containsEntry("google", new ProviderState(2, null, 0));
    }

    @Test
    void a_dead_nodes_lease_lapses_after_its_ttl_and_a_live_nodes_lease_is_renewed() {
        // given both slots taken, one by a node that then dies
        lease("dead-lease", "dead-node", T0);
        lease("live-lease", "live-node", T0);

        // when the live node renews and the ttl of the first lease passes
        store.renew("live-node", T0.plus(TTL).plusSeconds(30));
        Instant later = T0.plus(TTL).plusSeconds(1);

        // then the dead node's slot is free again, the live one's is not
        assertThat(lease("next", "live-node", later)).isTrue();
        assertThat(lease("one-more", "live-node", later)).isFalse();
        store.purge(later, later);
        assertThat(store.providers(later).get("google").inUse()).isEqualTo(2);
    }

    @Test
    void concurrent_leases_from_many_callers_never_exceed_the_limit() throws Exception {
        // given 12 callers asking at once for a provider allowing two
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> asked = IntStream.range(0, 12)
                    .mapToObj(i -> threads.submit(() -> lease("l" + i, "node-" + (i % 2), T0))).toList();

            // then exactly two got one
            int granted = 0;
            for (Future<Boolean> future : asked) {
                granted += future.get() ? 1 : 0;
            }
            assertThat(granted).isEqualTo(2);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void rcpts_are_granted_up_to_the_limit_per_minute_window() {
        // when 3, then 3 more, then 1 are asked of a provider allowing 5 a minute
        int first = store.tryRcpts(List.of(GOOGLE, DOMAIN), 3, T0);
        int second = store.tryRcpts(List.of(GOOGLE, DOMAIN), 3, T0.plusSeconds(10));
        int third = store.tryRcpts(List.of(GOOGLE, DOMAIN), 1, T0.plusSeconds(20));

        // then the window gives 5 in all, and the next minute starts afresh
        assertThat(List.of(first, second, third)).containsExactly(3, 2, 0);
        assertThat(store.tryRcpts(List.of(GOOGLE, DOMAIN), 3, T0.plusSeconds(60))).isEqualTo(3);
    }

    @Test
    void a_backoff_halves_the_limits_until_it_ends() {
        // given a backoff of the provider for ten minutes
        store.backoff(Kind.PROVIDER, "google", T0.plus(Duration.ofMinutes(10)));

        // then one connection and two RCPT a minute are allowed while it runs
        assertThat(lease("a", "node-1", T0)).isTrue();
        assertThat(lease("b", "node-1", T0)).isFalse();
        assertThat(store.tryRcpts(List.of(GOOGLE), 5, T0)).isEqualTo(2);
        assertThat(store.providers(T0)).containsEntry("google",
                new ProviderState(1, T0.plus(Duration.ofMinutes(10)), 1));

        // and the full limits come back after it
        Instant after = T0.plus(Duration.ofMinutes(11));
        assertThat(lease("b", "node-1", after)).isTrue();
        assertThat(store.providers(after).get("google").backoffUntil()).isNull();
    }

    private boolean lease(String id, String node, Instant now) {
        return store.tryLease(id, List.of(GOOGLE, DOMAIN), "google", "example.net", node, now, now.plus(TTL));
    }
}
