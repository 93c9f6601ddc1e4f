package dev.sluice.server.drop;

import dev.sluice.server.config.SluiceProperties;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.storage.StorageProperties;
import dev.sluice.server.store.SecretStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The SFTP server of the drop, started and stopped with the application. It offers password login
 * only, the SFTP subsystem only (no shell, exec, SCP, agent or port forwarding), and a read-only view of
 * the caller's own drop folder (on S3, a local mirror of it refreshed at each login). With {@code sluice.drop.enabled=false} nothing listens.
 */
@Component
public class DropServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DropServer.class);

    /** Counter of login attempts by {@code outcome}: {@code succeeded}, {@code refused}, {@code throttled}. */
    static final String LOGINS = "sluice.sftp.logins";

    private final DropProperties properties;
    private final SluiceProperties sluice;
    private final SecretStore secrets;
    private final SftpCredentialStore credentials;
    private final BlobStorage storage;
    private final StorageProperties storageProperties;
    private final LoginBackoff backoff;
    private final Counter loginsSucceeded;
    private final Counter loginsRefused;
    private final Counter loginsThrottled;

    private volatile SshServer server;

    DropServer(DropProperties properties, SluiceProperties sluice, SecretStore secrets,
            SftpCredentialStore credentials, BlobStorage storage, StorageProperties storageProperties, Clock clock,
            MeterRegistry meters) {
        this.properties = properties;
        this.sluice = sluice;
        this.secrets = secrets;
        this.credentials = credentials;
        this.storage = storage;
        this.storageProperties = storageProperties;
        this.backoff = new LoginBackoff(properties.loginFreeFailures(), properties.loginBackoff(),
                properties.loginBackoffMax(), clock);
        this.loginsSucceeded = logins(meters, "succeeded");
        this.loginsRefused = logins(meters, "refused");
        this.loginsThrottled = logins(meters, "throttled");
    }

    private static Counter logins(MeterRegistry meters, String outcome) {
        return Counter.builder(LOGINS).tag("outcome", outcome).description("SFTP password logins: succeeded, "
                + "refused (password checked and wrong), throttled (refused unchecked during a backoff lock)")
                .register(meters);
    }

    /** Whether this node serves SFTP at all ({@code sluice.drop.enabled}). */
    public boolean enabled() {
        return properties.enabled();
    }

    /** The port the SFTP server listens on once started, the configured one otherwise. */
    public int port() {
        SshServer running = server;
        return running != null ? running.getPort() : properties.port();
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled() || server != null) {
            return;
        }
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(properties.host());
        sshd.setPort(properties.port());
        sshd.setKeyPairProvider(KeyPairProvider.wrap(DropHostKey.load(secrets)));
        sshd.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
        sshd.setPasswordAuthenticator(this::authenticate);
        sshd.setPublickeyAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setShellFactory(null);
        sshd.setCommandFactory(null);
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        sshd.setAgentFactory(null);
        sshd.setFileSystemFactory(new DropFileSystemFactory(folders()));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder()
                .withFileSystemAccessor(ReadOnlyFileSystemAccessor.INSTANCE)
                .build()));
        try {
            sshd.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the SFTP drop on " + properties.host() + ":"
                    + properties.port() + "; free the port, set sluice.drop.port, or set sluice.drop.enabled=false", e);
        }
        server = sshd;
        log.debug("SFTP drop listening on {}:{}", properties.host(), sshd.getPort());
    }

    /** The blob directory itself on local storage; a local mirror under the data directory on S3. */
    private DropFolders folders() {
        return storageProperties.local()
                ? new LocalDropFolders(sluice.dataDir().resolve("blobs"))
                : new MirroredDropFolders(storage, sluice.dataDir().resolve("drop-mirror"));
    }

    @Override
    public synchronized void stop() {
        SshServer running = server;
        if (running == null) {
            return;
        }
        server = null;
        try {
            running.stop(true);
            log.info("SFTP drop stopped");
        } catch (IOException e) {
            log.warn("SFTP drop did not stop cleanly: {}", e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Closes the open SFTP sessions of an account, e.g. after its password was rotated. */
    void disconnect(String accountId) {
        SshServer running = server;
        if (running == null) {
            return;
        }
        for (AbstractSession session : running.getActiveSessions()) {
            if (accountId.equals(session.getAttribute(DropFileSystemFactory.ACCOUNT))) {
                session.close(true);
            }
        }
    }

    private boolean authenticate(String username, String password, ServerSession session) {
        InetAddress source = session.getClientAddress() instanceof InetSocketAddress address
                ? address.getAddress() : InetAddress.getLoopbackAddress();
        // the hash is slow on purpose; a source or username that keeps failing does not get to run it
        if (!backoff.admit(source, username)) {
            loginsThrottled.increment();
            log.info("SFTP login throttled from {} after repeated failures", session.getClientAddress());
            return false;
        }
        Optional<SftpCredentialStore.Login> login = credentials.findByUsername(username);
        // an unknown user costs a hash too, so timing does not tell which usernames exist
        boolean matches = PasswordHasher.matches(password, login.map(SftpCredentialStore.Login::passwordHash)
                .orElse(PasswordHasher.DUMMY_HASH));
        if (login.isEmpty() || !matches) {
            loginsRefused.increment();
            log.info("SFTP login refused from {}", session.getClientAddress());
            return false;
        }
        backoff.succeeded(source, username);
        loginsSucceeded.increment();
        session.setAttribute(DropFileSystemFactory.ACCOUNT, login.get().accountId());
        log.info("SFTP login of account {} from {}", login.get().accountId(), session.getClientAddress());
        return true;
    }
}
