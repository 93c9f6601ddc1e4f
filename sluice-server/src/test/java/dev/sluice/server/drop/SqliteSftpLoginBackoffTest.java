package dev.sluice.server.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Backoff after failed SFTP logins, with a real SSH client on several loopback source addresses. Locks are
 * long here (10 minutes) so that none ends during the test; {@link LoginBackoffTest} moves a clock past them.
 * The backoff lives in memory, so one store is enough.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(60)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class SqliteSftpLoginBackoffTest {

    private static final String ADMIN_KEY = "sk_test_admin_key_for_backoff_tests";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> ADMIN_KEY);
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.drop.login-free-failures", () -> "2");
        registry.add("sluice.drop.login-backoff", () -> "10m");
        registry.add("sluice.drop.login-backoff-max", () -> "10m");
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    DropServer drop;

    @Autowired
    MeterRegistry meters;

    Http http;
    SftpTestClient ssh;

    @BeforeEach
    void clients() {
        http = new Http("http://127.0.0.1:" + httpPort);
        ssh = new SftpTestClient(drop.port());
    }

    @AfterEach
    void closeClient() {
        ssh.close();
    }

    @Test
    void repeated_wrong_passwords_lock_the_source_and_the_user_without_checking_further_passwords()
            throws IOException {
        // given A, which logged in once from 127.0.0.4, and B, which has logged in from 127.0.0.5
        String a = Tenant.create(http, ADMIN_KEY, "owner").id();
        String passwordA = password(a);
        String b = Tenant.create(http, ADMIN_KEY, "bystander").id();
        String passwordB = password(b);
        ssh.login(a, passwordA, "127.0.0.4").close();
        ssh.login(b, passwordB, "127.0.0.5").close();
        double refused = count("refused");
        double throttled = count("throttled");

        // when 127.0.0.2 tries three wrong passwords for A (two are free, the third locks)
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> ssh.login(a, "guess-" + System.nanoTime(), "127.0.0.2").close())
                    .isInstanceOf(SshException.class);
        }

        // then from 127.0.0.2 even the right password is refused, and so is any other account
        assertThatThrownBy(() -> ssh.login(a, passwordA, "127.0.0.2").close()).isInstanceOf(SshException.class);
        assertThatThrownBy(() -> ssh.login(b, passwordB, "127.0.0.2").close()).isInstanceOf(SshException.class);
        // and A is locked for sources it never used
        assertThatThrownBy(() -> ssh.login(a, passwordA, "127.0.0.3").close()).isInstanceOf(SshException.class);
        // only the three guesses had their password checked; the rest were refused unchecked
        assertThat(count("refused") - refused).isEqualTo(3);
        assertThat(count("throttled") - throttled).isEqualTo(3);
        // while A from where it logged in before, and B from its own source, still get in
        try (ClientSession session = ssh.login(a, passwordA, "127.0.0.4")) {
            assertThat(session.isAuthenticated()).isTrue();
        }
        try (ClientSession session = ssh.login(b, passwordB, "127.0.0.5")) {
            assertThat(session.isAuthenticated()).isTrue();
        }
    }

    private double count(String outcome) {
        return meters.get(DropServer.LOGINS).tag("outcome", outcome).counter().count();
    }

    private String password(String accountId) {
        return http.postJson("/api/v1/accounts/" + accountId + "/sftp-credentials", ADMIN_KEY, "{}").json()
                .get("password").asString();
    }
}
