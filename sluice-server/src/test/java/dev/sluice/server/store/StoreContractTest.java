package dev.sluice.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.core.verify.AccountRules;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.server.account.Account;
import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.AccountStore;
import dev.sluice.server.account.ApiKeyKind;
import dev.sluice.server.account.Caller;
import dev.sluice.server.account.IssuedKey;
import dev.sluice.server.account.KeyInfo;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.verify.AccountRuleStore;
import dev.sluice.server.verify.VerifyCacheStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract every store keeps on every dialect: the class runs once per {@link TestDatabase}, each test on a
 * fresh, empty database, which this class migrates with the dialect's own migrations; it builds the stores by
 * hand, without Spring. The stores of the batch lifecycle are package-private in {@code job} and keep their
 * contract there ({@code job.JobStoreContractTest}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class StoreContractTest {

    /** A fixed point in time; every timestamp of a test is an offset from it, to the millisecond. */
    static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    HikariDataSource dataSource;
    JdbcClient jdbc;
    TransactionTemplate tx;
    AccountStore accounts;
    SecretStore secrets;

    Account alice;
    Account bob;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    /** Holds the SQLite file of a test. */
    @TempDir
    Path dir;

    /** The dialect under test. */
    Dialect dialect() {
        return database.dialect();
    }

    /** A pooled data source on a new, empty database of {@link #dialect()}. */
    HikariDataSource newDataSource() {
        return database.newDataSource(dir);
    }

    @BeforeEach
    void migrate_and_build_stores() throws Exception {
        dataSource = newDataSource();
        Flyway.configure().dataSource(dataSource).locations(dialect().migrationLocations().toArray(String[]::new))
                .load().migrate();
        jdbc = JdbcClient.create(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        accounts = new AccountStore(jdbc);
        secrets = new SecretStore(jdbc);

        alice = new Account("acc_alice", "Alice", false, T0);
        bob = new Account("acc_bob", "Bob", true, T0.plusMillis(1));
        accounts.insertAccount(alice);
        accounts.insertAccount(bob);
    }

    @AfterEach
    void close_data_source() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    // ---------------------------------------------------------------- accounts and keys

    @Test
    void inserted_account_is_found_by_id_with_every_field() {
        // given: alice (not admin) and bob (admin) were inserted in setUp

        // when
        var foundAlice = accounts.find("acc_alice");
        var foundBob = accounts.find("acc_bob");

        // then
        assertThat(foundAlice).contains(new Account("acc_alice", "Alice", false, T0));
        assertThat(foundBob).contains(new Account("acc_bob", "Bob", true, T0.plusMillis(1)));
        assertThat(accounts.find("acc_nobody")).isEmpty();
    }

    @Test
    void first_admin_is_the_oldest_admin_account() {
        // given: alice (not admin, older) and bob (admin) from setUp, and a newer admin
        accounts.insertAccount(new Account("acc_dave", "Dave", true, T0.plusMillis(5)));

        // when / then
        assertThat(accounts.findFirstAdmin()).contains(new Account("acc_bob", "Bob", true, T0.plusMillis(1)));
    }

    @Test
    void count_accounts_counts_every_inserted_account() {
        // given: two accounts from setUp
        assertThat(accounts.countAccounts()).isEqualTo(2);

        // when
        accounts.insertAccount(new Account("acc_carol", "Carol", false, T0));

        // then
        assertThat(accounts.countAccounts()).isEqualTo(3);
    }

    @Test
    void key_is_found_by_its_hash_with_its_account_and_kind() {
        // given
        accounts.insertKey("key_1", "acc_alice", ApiKeyKind.EVALUATION, "hash-1", "sk_eval_abcd", T0);
        accounts.insertKey("key_2", "acc_bob", ApiKeyKind.LIVE, "hash-2", "sk_live_efgh", T0);

        // when
        var one = accounts.findByKeyHash("hash-1");
        var two = accounts.findByKeyHash("hash-2");

        // then
        assertThat(one).contains(new Caller(alice, "key_1", ApiKeyKind.EVALUATION));
        assertThat(two).contains(new Caller(bob, "key_2", ApiKeyKind.LIVE));
        assertThat(accounts.findByKeyHash("hash-unknown")).isEmpty();
    }

    @Test
    void revoked_key_no_longer_authenticates_and_leaves_the_active_list() {
        // given two keys of Alice
        accounts.insertKey("key_1", "acc_alice", ApiKeyKind.LIVE, "hash-1", "sk_live_abcd", T0);
        accounts.insertKey("key_2", "acc_alice", ApiKeyKind.EVALUATION, "hash-2", "sk_eval_efgh", T0.plusMillis(1));

        // when the first is revoked, twice, and Bob tries to revoke the second
        boolean revoked = accounts.revokeKey("acc_alice", "key_1", T0.plusMillis(2));
        boolean again = accounts.revokeKey("acc_alice", "key_1", T0.plusMillis(3));
        boolean notBobs = accounts.revokeKey("acc_bob", "key_2", T0.plusMillis(3));

        // then only the first moved, it no longer authenticates, and the list holds the second alone
        assertThat(revoked).isTrue();
        assertThat(again).isFalse();
        assertThat(notBobs).isFalse();
        assertThat(accounts.findByKeyHash("hash-1")).isEmpty();
        assertThat(accounts.findByKeyHash("hash-2")).contains(new Caller(alice, "key_2", ApiKeyKind.EVALUATION));
        assertThat(accounts.activeKeys("acc_alice")).containsExactly(
                new KeyInfo("key_2", "acc_alice", ApiKeyKind.EVALUATION, "sk_eval_efgh", T0.plusMillis(1)));
        assertThat(accounts.countActiveKeys("acc_alice")).isEqualTo(1);
    }

    @Test
    void the_same_key_hash_cannot_be_stored_twice() {
        // given
        accounts.insertKey("key_1", "acc_alice", ApiKeyKind.LIVE, "hash-1", "sk_live_abcd", T0);

        // when / then
        assertThatThrownBy(() -> accounts.insertKey("key_2", "acc_bob", ApiKeyKind.LIVE, "hash-1", "sk_live_abcd", T0))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void a_key_revoked_on_one_node_stops_there_at_once_and_on_the_others_within_the_memory_time()
            throws InterruptedException {
        // given two nodes on one store, both having answered requests with the first of Carol's two keys
        AccountService nodeA = new AccountService(accounts, tx, Clock.fixed(T0, ZoneOffset.UTC));
        AccountService nodeB = new AccountService(accounts, tx, Clock.fixed(T0, ZoneOffset.UTC));
        IssuedKey first = nodeA.createAccount("Carol", false, ApiKeyKind.LIVE, "sk_live_carol-first");
        IssuedKey second = nodeA.addKey(first.accountId(), ApiKeyKind.LIVE);
        assertThat(nodeA.authenticate(first.key())).isPresent();
        assertThat(nodeB.authenticate(first.key())).isPresent();

        // when node A revokes it
        assertThat(nodeA.revokeKey(first.accountId(), first.id())).isEqualTo(AccountService.Revocation.REVOKED);

        // then node A refuses it at once, node B once its memory of the key has run out; the other key still works
        assertThat(nodeA.authenticate(first.key())).isEmpty();
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(AccountService.KNOWN_KEY_NANOS) + 100);
        assertThat(nodeB.authenticate(first.key())).isEmpty();
        assertThat(nodeB.authenticate(second.key())).isPresent();
        assertThat(nodeA.authenticate(second.key())).isPresent();
    }

    @Test
    void account_service_issues_a_key_that_authenticates_and_is_stored_only_as_its_hash() {
        // given
        AccountService service = new AccountService(accounts, tx, Clock.fixed(T0, ZoneOffset.UTC));

        // when
        IssuedKey issued = service.createAccount("Carol", false, ApiKeyKind.LIVE, "sk_live_carol-secret");

        // then
        assertThat(issued.key()).isEqualTo("sk_live_carol-secret");
        assertThat(issued.createdAt()).isEqualTo(T0);
        assertThat(service.authenticate("  sk_live_carol-secret ")).get().satisfies(caller -> {
            assertThat(caller.accountId()).isEqualTo(issued.accountId());
            assertThat(caller.keyId()).isEqualTo(issued.id());
            assertThat(caller.keyKind()).isEqualTo(ApiKeyKind.LIVE);
            assertThat(caller.account()).isEqualTo(new Account(issued.accountId(), "Carol", false, T0));
        });
        assertThat(service.authenticate("sk_live_wrong")).isEmpty();
        assertThat(jdbc.sql("SELECT key_hash, key_prefix FROM api_keys WHERE id = :id").param("id", issued.id())
                .query((rs, row) -> List.of(rs.getString(1), rs.getString(2))).single())
                .containsExactly(sha256("sk_live_carol-secret"), "sk_live_caro");
        assertThat(accounts.countAccounts()).isEqualTo(3);
    }

    // ---------------------------------------------------------------- secrets

    @Test
    void get_or_create_returns_the_first_value_even_with_a_different_supplier() {
        // given
        String first = secrets.getOrCreate("url-signing-key", () -> "value-one");

        // when
        String second = secrets.getOrCreate("url-signing-key", () -> "value-two");
        String other = secrets.getOrCreate("sftp-host-key", () -> "value-three");

        // then
        assertThat(first).isEqualTo("value-one");
        assertThat(second).isEqualTo("value-one");
        assertThat(other).isEqualTo("value-three");
        assertThat(count("secrets")).isEqualTo(2);
    }

    @Test
    void get_or_create_makes_no_new_secret_when_one_is_stored() {
        // given
        secrets.getOrCreate("sftp-host-key", () -> "stored");
        AtomicInteger made = new AtomicInteger();

        // when
        String again = secrets.getOrCreate("sftp-host-key", () -> {
            made.incrementAndGet();
            return "made-again";
        });

        // then
        assertThat(again).isEqualTo("stored");
        assertThat(made).hasValue(0);
    }

    // ---------------------------------------------------------------- verification cache

    @Test
    void a_cached_verdict_is_found_only_in_the_scope_it_was_put_in() {
        // given alice's job verified ann, and a shared verdict exists for bo
        VerifyCacheStore cache = verifyCache();
        Verdict ann = new Verdict(VerdictStatus.VALID, Reason.ACCEPTED, "ann@example.net", false, false, true,
                null, false);
        Verdict bo = new Verdict(VerdictStatus.INVALID, Reason.MAILBOX_NOT_FOUND, "bo@example.net", false);
        cache.putVerdicts("acc_alice", Map.of(ann.normalized(), ann));
        cache.putVerdicts(VerificationCache.SHARED, Map.of(bo.normalized(), bo));

        // when each scope asks for both
        List<String> both = List.of("ann@example.net", "bo@example.net");
        Map<String, Verdict> forAlice = cache.verdicts("acc_alice", both);
        Map<String, Verdict> forBob = cache.verdicts("acc_bob", both);
        Map<String, Verdict> shared = cache.verdicts(VerificationCache.SHARED, both);

        // then each sees only its own
        assertThat(forAlice).containsExactly(Map.entry("ann@example.net", ann));
        assertThat(forBob).isEmpty();
        assertThat(shared).containsExactly(Map.entry("bo@example.net", bo));
    }

    @Test
    void the_same_address_keeps_one_verdict_per_scope_and_a_new_one_replaces_it_in_its_scope_only() {
        // given
        VerifyCacheStore cache = verifyCache();
        Verdict valid = new Verdict(VerdictStatus.VALID, Reason.ACCEPTED, "ann@example.net", false);
        Verdict invalid = new Verdict(VerdictStatus.INVALID, Reason.MAILBOX_NOT_FOUND, "ann@example.net", false);
        cache.putVerdicts("acc_alice", Map.of("ann@example.net", valid));
        cache.putVerdicts("acc_bob", Map.of("ann@example.net", valid));

        // when bob's answer changes
        cache.putVerdicts("acc_bob", Map.of("ann@example.net", invalid));

        // then
        assertThat(cache.verdicts("acc_alice", List.of("ann@example.net"))).containsExactly(Map.entry("ann@example.net", valid));
        assertThat(cache.verdicts("acc_bob", List.of("ann@example.net"))).containsExactly(Map.entry("ann@example.net", invalid));
        assertThat(count("verify_cache_verdicts")).isEqualTo(2);
    }

    @Test
    void account_rules_are_kept_in_order_per_account_and_replaced_whole() {
        // given
        AccountRuleStore rules = new AccountRuleStore(jdbc, new NamedParameterJdbcTemplate(dataSource), tx);
        AccountRules alices = AccountRules.of(List.of(AccountRules.Rule.parse("tld:ru", "unknown"),
                AccountRules.Rule.parse("email:boss@example.com", "invalid"),
                AccountRules.Rule.parse("mx:*.example.net", "valid")));

        // when
        rules.replace("acc_alice", alices);
        rules.replace("acc_bob", AccountRules.of(List.of(AccountRules.Rule.parse("domain:example.org", "valid"))));

        // then
        assertThat(rules.rules("acc_alice").rules()).isEqualTo(alices.rules());
        assertThat(rules.rules("acc_bob").rules()).extracting(AccountRules.Rule::match)
                .containsExactly("domain:example.org");

        // and a new list replaces the old one whole; an empty one leaves none
        rules.replace("acc_alice", AccountRules.of(List.of(AccountRules.Rule.parse("tld:cn", "invalid"))));
        assertThat(rules.rules("acc_alice").rules()).extracting(AccountRules.Rule::match).containsExactly("tld:cn");
        rules.replace("acc_alice", AccountRules.none());
        assertThat(rules.rules("acc_alice").isEmpty()).isTrue();
        assertThat(rules.rules("acc_bob").rules()).hasSize(1);
    }

    @Test
    void a_cached_verdict_keeps_its_provider() {
        // given a verdict of a google-hosted domain and one whose DNS did not run
        VerifyCacheStore cache = verifyCache();
        Verdict hosted = new Verdict(VerdictStatus.VALID, Reason.ACCEPTED, "ann@example.net", false, false, false,
                null, false, "google");
        Verdict offline = new Verdict(VerdictStatus.VALID, Reason.OFFLINE_CHECKS_PASSED, "bo@example.net", false);
        cache.putVerdicts("acc_alice", Map.of(hosted.normalized(), hosted, offline.normalized(), offline));

        // when
        Map<String, Verdict> found = cache.verdicts("acc_alice", List.of("ann@example.net", "bo@example.net"));

        // then
        assertThat(found.get("ann@example.net").provider()).isEqualTo("google");
        assertThat(found.get("bo@example.net").provider()).isNull();
    }

    private VerifyCacheStore verifyCache() {
        return new VerifyCacheStore(jdbc, new NamedParameterJdbcTemplate(dataSource), JsonMapper.builder().build(),
                Duration.ofHours(24), Clock.fixed(T0, ZoneOffset.UTC));
    }

    // ---------------------------------------------------------------- fixtures

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
