package dev.sluice.server.drop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * A real SSH client (SSHD's own) for tests against the drop on loopback; remembers the host key it saw.
 * Public for the front doors' tests that fetch their files from the drop.
 */
public final class SftpTestClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final SshClient client = SshClient.setUpDefaultClient();
    private final AtomicReference<PublicKey> hostKey = new AtomicReference<>();
    private final int port;

    public SftpTestClient(int port) {
        this.port = port;
        client.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
        client.setServerKeyVerifier((session, address, key) -> {
            hostKey.set(key);
            return true;
        });
        client.start();
    }

    /** An authenticated session; throws when the server refuses the password. */
    public ClientSession login(String username, String password) throws IOException {
        return login(username, password, "127.0.0.1");
    }

    /** An authenticated session from the loopback address {@code from} (any of 127/8 on Linux). */
    public ClientSession login(String username, String password, String from) throws IOException {
        ClientSession session = client.connect(username, "127.0.0.1", port, new InetSocketAddress(from, 0))
                .verify(TIMEOUT).getSession();
        try {
            session.addPasswordIdentity(password);
            session.auth().verify(TIMEOUT);
            return session;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    /** An SFTP client over a fresh authenticated session; closing it closes the session too. */
    public SftpClient sftp(String username, String password) throws IOException {
        ClientSession session = login(username, password);
        return SftpClientFactory.instance().createSftpClient(session).singleSessionInstance();
    }

    /** The SHA-256 fingerprint of the server's host key, read during key exchange without logging in. */
    public String hostKeyFingerprint() throws IOException {
        try (ClientSession session = client.connect("nobody", "127.0.0.1", port).verify(TIMEOUT).getSession()) {
            session.waitFor(EnumSet.of(ClientSessionEvent.WAIT_AUTH, ClientSessionEvent.CLOSED), TIMEOUT);
        }
        return KeyUtils.getFingerPrint(hostKey.get());
    }

    @Override
    public void close() {
        client.stop();
    }
}
