package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.testing.DnsResponder;
import dev.sluice.core.testing.TestSmtpServer;
import dev.sluice.core.testing.TestSmtpServer.Behavior;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestPostgres;
import dev.sluice.server.support.TestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two server nodes on one PostgreSQL verify domains of one provider at the same time, against one loopback
 * SMTP server: the provider's connection limit from the provider table holds for both nodes together, and a
 * server that answers 421 above one connection halves the provider's limits on every node.
 */
class ClusterThrottleTest {

    static final String ADMIN_KEY = "sk_test_throttle_admin";

    /** Connections the provider "limited" allows at once, across the cluster. */
    static final int LIMIT = 3;

    static final DnsResponder dns = DnsResponder.start();
    /** Slow enough that the nodes' connections overlap; counts how many are open at once. */
    static final TestSmtpServer limited = TestSmtpServer.start(TestSmtpServer.loopback(2), 0,
            Behavior.acceptAll().replyDelay(Duration.ofMillis(30)));
    /** Turns away every connection beyond the first open one with 421, as a provider throttling a sender. */
    static final TestSmtpServer crowded = limited.startSibling(TestSmtpServer.loopback(3),
            Behavior.acceptAll().replyDelay(Duration.ofMillis(30))).busyAbove(1);

    @TempDir
    static Path dir;

    static TestServer first;
    static TestServer second;

    @BeforeAll
    static void start_two_nodes_on_one_database() throws IOException {
        for (int d = 1; d <= 8; d++) {
            dns.mx("d" + d + ".limited.example.net", 10, "mx.limited.example.net");
            dns.mx("d" + d + ".crowded.example.net", 10, "mx.crowded.example.net");
        }
        dns.a("mx.limited.example.net", "127.0.0.2").a("mx.crowded.example.net", "127.0.0.3")
                .nxdomain("nowhere.example.net").nxdomain("d9.limited.example.net");
        Path providers = Files.writeString(dir.resolve("providers.txt"), """
                limited  %d  0  false  *.limited.example.net
                crowded  4   0  false  *.crowded.example.net
                other    0   0  false
                """.formatted(LIMIT));
        String database = TestPostgres.newDatabaseUrl();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("SLUICE_BOOTSTRAP_API_KEY", ADMIN_KEY);
        properties.put("sluice.database.url", database);
        properties.put("sluice.database.username", "postgres");
        properties.put("sluice.database.password", "postgres");
        properties.put("sluice.verify.dns.servers", "127.0.0.1:" + dns.address().getPort());
        // the limits are under test, not this resolver's canaries
        properties.put("sluice.verify.preflight.enabled", "false");
        properties.put("sluice.verify.smtp.port", String.valueOf(limited.port()));
        properties.put("sluice.verify.smtp.allow", "127.0.0.2,127.0.0.3");
        // one recipient per connection and no per-domain rate: many short connections, at once
        properties.put("sluice.verify.smtp.recipients-per-connection", "1");
        properties.put("sluice.verify.smtp.rcpt-per-second-per-domain", "0");
        properties.put("sluice.verify.smtp.retry-attempts", "1");
        properties.put("sluice.verify.cache.enabled", "false");
        properties.put("sluice.verify.providers.file", providers.toString());
        properties.put("sluice.verify.throttle.poll", "20ms");
        first = TestServer.start(TestDatabase.POSTGRESQL, properties);
        second = TestServer.start(TestDatabase.POSTGRESQL, properties);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {second, first, crowded, limited, dns}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void a_providers_connection_limit_holds_for_both_nodes_together() throws Exception {
        // when each node verifies four domains of the provider, both at once (each alone would open four)
        Map<String, List<Verdict>> verdicts = verifyOnBothNodes("limited");

        // then the mail server never saw more connections open at once than the provider allows
        assertThat(limited.maxOpenConnections()).isLessThanOrEqualTo(LIMIT).isGreaterThan(1);
        assertThat(limited.connections()).isEqualTo(2 * 4 * 2);
        verdicts.values().forEach(list -> assertThat(list).allSatisfy(verdict -> {
            assertThat(verdict.status()).isEqualTo(VerdictStatus.ACCEPT_ALL);
            assertThat(verdict.provider()).isEqualTo("limited");
        }));
        // and every lease was given back
        assertThat(first.bean(ClusterThrottle.class).current().get("limited").inUse()).isZero();
    }

    @Test
    void a_421_above_one_connection_halves_the_providers_limits_on_every_node() throws Exception {
        // when both nodes verify the domains of a provider whose server turns away a second connection
        verifyOnBothNodes("crowded");

        // then some connections were turned away, and both nodes see the provider's halved limit
        assertThat(crowded.busyAnswers()).isPositive();
        for (TestServer node : List.of(first, second)) {
            ClusterThrottle.ProviderThrottle state = node.bean(ClusterThrottle.class).current().get("crowded");
            assertThat(state.connectionLimit()).isEqualTo(2);
            assertThat(state.backoffUntil()).isNotNull();
            // and so does the preflight answer of the admin API
            JsonNode shown = StreamSupport.stream(node.http().get("/api/v1/verify/preflight", ADMIN_KEY).json()
                    .get("throttles").spliterator(), false)
                    .filter(t -> t.get("provider").asString().equals("crowded")).findFirst().orElseThrow();
            assertThat(shown.get("connection_limit").asInt()).isEqualTo(2);
            assertThat(shown.get("backoff_until").isNull()).isFalse();
        }
        // and the metric counted the answers that caused it
        double throttled = 0;
        for (TestServer node : List.of(first, second)) {
            Counter counter = node.bean(MeterRegistry.class).find(ClusterThrottle.THROTTLED)
                    .tag("provider", "crowded").counter();
            throttled += counter == null ? 0 : counter.count();
        }
        assertThat(throttled).isPositive();
        assertThat(first.bean(ClusterThrottle.class).current().get("limited").backoffUntil()).isNull();
    }

    @Test
    void verification_that_opens_no_smtp_connection_never_touches_the_throttle_tables() {
        // given what the throttle tables hold now
        long before = throttleRows();

        // when addresses are decided offline or by DNS alone (no such domain, a syntax error)
        List<Verdict> verdicts = first.bean(VerificationEngine.class)
                .verifyAll(List.of("ann@nowhere.example.net", "not an address", "bob@d9.limited.example.net"));

        // then not a row was written
        assertThat(verdicts).extracting(Verdict::status).containsOnly(VerdictStatus.INVALID);
        assertThat(throttleRows()).isEqualTo(before);
    }

    private static long throttleRows() {
        JdbcClient jdbc = first.bean(JdbcClient.class);
        return jdbc.sql("SELECT COUNT(*) FROM smtp_throttle_scopes").query(Long.class).single()
                + jdbc.sql("SELECT COUNT(*) FROM smtp_throttle_leases").query(Long.class).single();
    }

    /** The first node verifies d1..d4 of the provider's domains, the second d5..d8, concurrently. */
    private static Map<String, List<Verdict>> verifyOnBothNodes(String provider) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Map<String, Future<List<Verdict>>> running = new LinkedHashMap<>();
            running.put("first", threads.submit(() -> first.bean(VerificationEngine.class)
                    .verifyAll(addresses(provider, 1))));
            running.put("second", threads.submit(() -> second.bean(VerificationEngine.class)
                    .verifyAll(addresses(provider, 5))));
            Map<String, List<Verdict>> verdicts = new LinkedHashMap<>();
            for (Map.Entry<String, Future<List<Verdict>>> entry : running.entrySet()) {
                verdicts.put(entry.getKey(), entry.getValue().get());
            }
            return verdicts;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Two addresses at each of four domains, from d{from}: one recipient per connection, two connections each. */
    private static List<String> addresses(String provider, int from) {
        List<String> addresses = new ArrayList<>();
        for (int d = from; d < from + 4; d++) {
            addresses.add("ann@d" + d + "." + provider + ".example.net");
            addresses.add("bob@d" + d + "." + provider + ".example.net");
        }
        return addresses;
    }
}
