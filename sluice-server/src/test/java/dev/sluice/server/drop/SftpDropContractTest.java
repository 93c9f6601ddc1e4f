package dev.sluice.server.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.storage.StoredBlob;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestBlobs;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.sshd.client.channel.ChannelSession;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The SFTP drop end to end: credentials from the HTTP API, files placed where an export puts them, and a
 * real SFTP client (SSHD's) logging in over loopback. The same contract on every store: SQLite with files on
 * local disk, PostgreSQL holding the credentials and host key, and files in an S3 bucket (S3Mock), as on a
 * cluster, where the session sees a local mirror of the account's drop brought up to date at each login.
 */
@ParameterizedClass(name = "{0}, {1} blobs")
@MethodSource("stores")
@Timeout(60)
class SftpDropContractTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_drop_tests";

    static Map<String, String> properties() {
        return Map.ofEntries(
                Map.entry("SLUICE_BOOTSTRAP_API_KEY", ADMIN_KEY),
                Map.entry("sluice.drop.port", "0"),
                Map.entry("sluice.drop.host", "127.0.0.1"),
                Map.entry("sluice.verify.dns.enabled", "false"));
    }

    static Stream<Arguments> stores() {
        return Stream.of(Arguments.of(TestDatabase.SQLITE, TestBlobs.LOCAL),
                Arguments.of(TestDatabase.POSTGRESQL, TestBlobs.LOCAL),
                Arguments.of(TestDatabase.SQLITE, TestBlobs.S3));
    }

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database, TestBlobs blobs) {
        server = TestServer.start(database, blobs, properties());
    }

    @AfterParameterizedClassInvocation
    static void stop_server() {
        server.close();
    }

    static TestServer server;

    /** The database under test. */
    @Parameter(0)
    TestDatabase database;

    /** Where the server under test keeps its files. */
    @Parameter(1)
    TestBlobs blobs;

    @LocalServerPort
    int httpPort;

    @Autowired
    DropServer drop;

    @Autowired
    BlobStorage storage;

    Http http;
    SftpTestClient ssh;

    @BeforeEach
    void clients() {
        server.inject(this);
        http = new Http("http://127.0.0.1:" + httpPort);
        ssh = new SftpTestClient(drop.port());
    }

    @AfterEach
    void closeClient() {
        ssh.close();
    }

    @Test
    void exported_file_is_listed_and_downloaded_over_sftp_with_the_issued_credentials() throws IOException {
        // given an account with SFTP credentials and a file an export placed in its drop
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "exports");
        JsonNode login = issueCredentials(tenant.id(), tenant.key()).json();
        byte[] content = "email,status\nann@example.net,valid\n".getBytes(StandardCharsets.UTF_8);
        placeExport(tenant.id(), "results.csv", content);

        // when the account logs in over SFTP, lists /exports and downloads the file
        List<String> names;
        byte[] downloaded;
        try (SftpClient sftp = ssh.sftp(login.get("username").asString(), login.get("password").asString())) {
            names = names(sftp.readDir("/exports"));
            try (InputStream in = sftp.read("/exports/results.csv")) {
                downloaded = in.readAllBytes();
            }
        }

        // then it sees exactly that file, byte for byte
        assertThat(names).containsExactly("results.csv");
        assertThat(downloaded).isEqualTo(content);
    }

    @Test
    void credentials_answer_201_with_the_account_id_as_username_and_the_drop_port() {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "answer");

        // when
        Http.Response response = issueCredentials(tenant.id(), tenant.key());

        // then
        assertThat(response.status()).isEqualTo(201);
        JsonNode body = response.json();
        assertThat(body.get("username").asString()).isEqualTo(tenant.id());
        assertThat(body.get("password").asString()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(body.get("host").asString()).isEqualTo("127.0.0.1");
        assertThat(body.get("port").asInt()).isEqualTo(drop.port()).isPositive();
    }

    @Test
    void an_admin_may_issue_credentials_for_any_account() {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "admin issues");

        // when
        Http.Response response = issueCredentials(tenant.id(), ADMIN_KEY);

        // then
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.json().get("username").asString()).isEqualTo(tenant.id());
    }

    @Test
    void writing_removing_renaming_mkdir_and_setstat_are_refused_as_permission_denied() throws IOException {
        // given a logged-in account with one exported file
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "read only");
        JsonNode login = issueCredentials(tenant.id(), tenant.key()).json();
        byte[] content = "keep me".getBytes(StandardCharsets.UTF_8);
        String key = placeExport(tenant.id(), "keep.csv", content);

        try (SftpClient sftp = ssh.sftp(login.get("username").asString(), login.get("password").asString())) {
            // when / then every change is refused
            assertPermissionDenied(() -> {
                try (OutputStream out = sftp.write("/exports/new.csv")) {
                    out.write(1);
                }
            });
            assertPermissionDenied(() -> {
                try (OutputStream out = sftp.write("/exports/keep.csv")) {
                    out.write(1);
                }
            });
            assertPermissionDenied(() -> sftp.remove("/exports/keep.csv"));
            assertPermissionDenied(() -> sftp.rename("/exports/keep.csv", "/exports/moved.csv"));
            assertPermissionDenied(() -> sftp.mkdir("/incoming"));
            assertPermissionDenied(() -> sftp.rmdir("/exports"));
            assertPermissionDenied(() -> sftp.symLink("/link.csv", "/exports/keep.csv"));
            SftpClient.Attributes truncate = new SftpClient.Attributes();
            truncate.setSize(0);
            assertPermissionDenied(() -> sftp.setStat("/exports/keep.csv", truncate));
            SftpClient.Attributes chmod = new SftpClient.Attributes();
            chmod.setPermissions(0777);
            assertPermissionDenied(() -> sftp.setStat("/exports/keep.csv", chmod));
        }

        // then the drop in the storage is exactly as the export left it
        assertThat(storage.list(DropKeys.folder(tenant.id()))).containsExactly(new StoredBlob(key, content.length));
        try (InputStream in = storage.open(key)) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void each_login_sees_the_drop_as_the_storage_holds_it_now() throws IOException {
        // given a logged-in account that has seen one file
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "refresh");
        JsonNode login = issueCredentials(tenant.id(), tenant.key()).json();
        String first = placeExport(tenant.id(), "first.csv", "1".getBytes(StandardCharsets.UTF_8));
        try (SftpClient sftp = ssh.sftp(login.get("username").asString(), login.get("password").asString())) {
            assertThat(names(sftp.readDir("/exports"))).containsExactly("first.csv");
        }

        // when a second export lands and the first one is purged
        byte[] second = "email\nbob@example.net\n".getBytes(StandardCharsets.UTF_8);
        placeExport(tenant.id(), "second.csv", second);
        storage.delete(first);

        // then the next login lists only the second, byte for byte
        try (SftpClient sftp = ssh.sftp(login.get("username").asString(), login.get("password").asString())) {
            assertThat(names(sftp.readDir("/exports"))).containsExactly("second.csv");
            try (InputStream in = sftp.read("/exports/second.csv")) {
                assertThat(in.readAllBytes()).isEqualTo(second);
            }
        }
    }

    @Test
    void a_wrong_password_is_refused() {
        // given
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "wrong password");
        issueCredentials(tenant.id(), tenant.key());

        // when / then
        assertThatThrownBy(() -> ssh.login(tenant.id(), "not-the-password").close()).isInstanceOf(SshException.class);
        assertThatThrownBy(() -> ssh.login("acc_no_such_account", "whatever").close())
                .isInstanceOf(SshException.class);
    }

    @Test
    void an_account_without_credentials_cannot_log_in() {
        // given an account that never asked for SFTP credentials
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "no credentials");

        // when / then
        assertThatThrownBy(() -> ssh.login(tenant.id(), "a-guess").close()).isInstanceOf(SshException.class);
    }

    @Test
    void each_account_sees_only_its_own_folder_as_root() throws IOException {
        // given two accounts, each with an export
        Tenant a = Tenant.create(http, ADMIN_KEY, "tenant a");
        Tenant b = Tenant.create(http, ADMIN_KEY, "tenant b");
        placeExport(a.id(), "a-only.csv", "a".getBytes(StandardCharsets.UTF_8));
        placeExport(b.id(), "b-only.csv", "b".getBytes(StandardCharsets.UTF_8));
        JsonNode loginB = issueCredentials(b.id(), b.key()).json();

        // when B logs in and looks around, including upwards and at A's folder by its blob path
        try (SftpClient sftp = ssh.sftp(loginB.get("username").asString(), loginB.get("password").asString())) {
            List<String> root = names(sftp.readDir("/"));
            List<String> above = names(sftp.readDir("/../.."));
            List<String> exports = names(sftp.readDir("/exports"));
            String canonicalAbove = sftp.canonicalPath("/../../..");

            // then B's root is its own drop folder, and A's file cannot be named from it
            assertThat(root).containsExactly("exports");
            assertThat(above).containsExactly("exports");
            assertThat(exports).containsExactly("b-only.csv");
            assertThat(canonicalAbove).isEqualTo("/");
            assertThatThrownBy(() -> sftp.read("/../../" + a.id() + "/drop/exports/a-only.csv").close())
                    .isInstanceOfSatisfying(SftpException.class,
                            e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_NO_SUCH_FILE));
        }
    }

    @Test
    void rotating_credentials_invalidates_the_old_password() throws IOException {
        // given credentials that work
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "rotation");
        String oldPassword = issueCredentials(tenant.id(), tenant.key()).json().get("password").asString();
        ssh.login(tenant.id(), oldPassword).close();

        // when the account asks again
        String newPassword = issueCredentials(tenant.id(), tenant.key()).json().get("password").asString();

        // then only the new password logs in
        assertThat(newPassword).isNotEqualTo(oldPassword);
        assertThatThrownBy(() -> ssh.login(tenant.id(), oldPassword).close()).isInstanceOf(SshException.class);
        try (ClientSession session = ssh.login(tenant.id(), newPassword)) {
            assertThat(session.isAuthenticated()).isTrue();
        }
    }

    @Test
    void another_account_asking_for_credentials_gets_404_and_the_owner_keeps_its_password() throws IOException {
        // given A with working credentials and another account B
        Tenant a = Tenant.create(http, ADMIN_KEY, "owner");
        Tenant b = Tenant.create(http, ADMIN_KEY, "intruder");
        String password = issueCredentials(a.id(), a.key()).json().get("password").asString();

        // when B asks for A's credentials, and for an account that does not exist
        Http.Response response = issueCredentials(a.id(), b.key());
        Http.Response missing = issueCredentials("acc_no_such_account", ADMIN_KEY);

        // then both are not found, and A's password was not rotated
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("not_found");
        assertThat(missing.status()).isEqualTo(404);
        try (ClientSession session = ssh.login(a.id(), password)) {
            assertThat(session.isAuthenticated()).isTrue();
        }
    }

    @Test
    void shell_and_exec_run_nothing() throws IOException {
        // given a logged-in account
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "no shell");
        String password = issueCredentials(tenant.id(), tenant.key()).json().get("password").asString();

        try (ClientSession session = ssh.login(tenant.id(), password)) {
            // when it asks for a command and for a shell
            Ran exec = run(session.createExecChannel("echo pwned"));
            Ran shell = run(session.createShellChannel());

            // then neither produced output or a successful exit
            assertThat(exec.output()).isEmpty();
            assertThat(exec.succeeded()).isFalse();
            assertThat(shell.output()).isEmpty();
            assertThat(shell.succeeded()).isFalse();
        }
    }

    // ---- fixtures ----

    private Http.Response issueCredentials(String accountId, String key) {
        return http.postJson("/api/v1/accounts/" + accountId + "/sftp-credentials", key, "{}");
    }

    /** Writes a file where the export operation puts it: the blob key of {@link DropKeys#exportFile}. */
    private String placeExport(String accountId, String fileName, byte[] content) throws IOException {
        String key = DropKeys.exportFile(accountId, fileName);
        storage.write(key, out -> out.write(content));
        return key;
    }

    private static List<String> names(Iterable<SftpClient.DirEntry> entries) {
        return StreamSupport.stream(entries.spliterator(), false)
                .map(SftpClient.DirEntry::getFilename)
                .filter(name -> !name.equals(".") && !name.equals(".."))
                .sorted()
                .toList();
    }

    /** What a channel gave back: its output and exit status, null when the server sent none. */
    record Ran(String output, Integer exitStatus) {
        boolean succeeded() {
            return Integer.valueOf(0).equals(exitStatus);
        }
    }

    /** Opens the channel (a refused open counts as nothing run) and waits briefly for it to finish. */
    private static Ran run(ChannelSession channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (channel) {
            channel.setOut(out);
            channel.setErr(out);
            try {
                channel.open().verify(SftpTestClient.TIMEOUT);
            } catch (IOException refused) {
                return new Ran("", null);
            }
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS),
                    Duration.ofSeconds(3));
            return new Ran(out.toString(StandardCharsets.UTF_8), channel.getExitStatus());
        }
    }

    private interface SftpCall {
        void run() throws IOException;
    }

    private static void assertPermissionDenied(SftpCall call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SftpException.class,
                e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED));
    }
}
