package dev.sluice.server.drop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceApplication;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** Starting and stopping the drop with the application, each start a real server on its own data dir. */
@Timeout(120)
class DropLifecycleTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_drop_lifecycle";

    @TempDir
    Path dataDir;

    @Test
    void two_starts_on_the_same_database_present_the_same_host_key() throws IOException {
        // given a server started once, its host key seen by a client
        String first;
        try (ConfigurableApplicationContext app = start("0", true)) {
            first = fingerprintOf(app);
        }

        // when the server starts again on the same database (a restart, or a second node)
        String second;
        try (ConfigurableApplicationContext app = start("0", true)) {
            second = fingerprintOf(app);
        }

        // then clients see the same host key
        assertThat(first).startsWith("SHA256:");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void stopping_the_application_closes_the_sftp_port() throws IOException {
        // given a running drop
        int port;
        try (ConfigurableApplicationContext app = start("0", true)) {
            port = app.getBean(DropServer.class).port();
            assertThat(app.getBean(DropServer.class).isRunning()).isTrue();
            assertThat(accepts(port)).isTrue();
        }

        // when the application has stopped / then nothing listens there any more
        assertThat(accepts(port)).isFalse();
    }

    @Test
    void disabled_drop_listens_on_nothing_and_refuses_to_issue_credentials() throws IOException {
        // given a port known to be free, configured for a disabled drop
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }

        try (ConfigurableApplicationContext app = start(String.valueOf(port), false)) {
            // when a client connects, or the admin asks for credentials
            Http http = new Http("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
            Http.Response response = http.postJson("/api/v1/accounts/" + someAccountId(http) + "/sftp-credentials",
                    ADMIN_KEY, "{}");

            // then nothing listens and the API says why
            assertThat(app.getBean(DropServer.class).isRunning()).isFalse();
            assertThat(accepts(port)).isFalse();
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.json().get("detail").asString()).contains("sluice.drop.enabled");
        }
    }

    private ConfigurableApplicationContext start(String dropPort, boolean enabled) {
        return SluiceApplication.run("--server.port=0", "--sluice.data-dir=" + dataDir,
                "--SLUICE_BOOTSTRAP_API_KEY=" + ADMIN_KEY, "--sluice.verify.dns.enabled=false",
                "--sluice.drop.host=127.0.0.1", "--sluice.drop.port=" + dropPort, "--sluice.drop.enabled=" + enabled);
    }

    private static String fingerprintOf(ConfigurableApplicationContext app) throws IOException {
        try (SftpTestClient client = new SftpTestClient(app.getBean(DropServer.class).port())) {
            return client.hostKeyFingerprint();
        }
    }

    /** An account to ask about; created by the admin, since the answer must not depend on who owns it. */
    private static String someAccountId(Http http) {
        return Tenant.create(http, ADMIN_KEY, "probe").id();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
