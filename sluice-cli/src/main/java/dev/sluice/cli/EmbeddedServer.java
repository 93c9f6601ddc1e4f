package dev.sluice.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

import dev.sluice.server.SluiceApplication;
import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.ApiKeyKind;

/**
 * A Sluice server run inside the command's own JVM when no {@code --server} is given: loopback only, on a
 * free port, on the same data directory {@code sluice serve} uses, with no SFTP drop, errors-only logs
 * on stderr and workers that look for due tasks every 50 ms. The command then talks to it over HTTP through
 * the client like to any other server.
 *
 * <p>The command line needs a key of the data directory's admin account. It keeps one in
 * {@value #KEY_FILE} inside the data directory (owner-only permissions). On an empty data directory that key
 * becomes the admin's first key; on one a {@code serve} created (whose admin key was printed once), the
 * command adds a key to the admin account through the account service of the running server, once.
 */
final class EmbeddedServer implements AutoCloseable {

    /** The file in the data directory holding the command line's API key. */
    static final String KEY_FILE = "cli-api-key";

    private final ConfigurableApplicationContext context;
    private final URI baseUri;
    private final String apiKey;

    private EmbeddedServer(ConfigurableApplicationContext context, URI baseUri, String apiKey) {
        this.context = context;
        this.baseUri = baseUri;
        this.apiKey = apiKey;
    }

    /**
     * Starts the server on {@code dataDir}.
     *
     * @param givenKey   the key to use instead of the data directory's key file, or null
     * @param offline    turn DNS (and so SMTP) off: verdicts from the offline checks only
     * @param properties more {@code --key=value} Spring properties, applied last
     */
    static EmbeddedServer start(Path dataDir, String givenKey, boolean offline, List<String> properties)
            throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path keyFile = dir.resolve(KEY_FILE);
        String key = givenKey != null ? givenKey : Files.isRegularFile(keyFile)
                ? Files.readString(keyFile, StandardCharsets.UTF_8).strip() : mintKey();
        List<String> args = new ArrayList<>();
        args.add("--server.port=0");
        args.add("--server.address=127.0.0.1");
        args.add("--sluice.data-dir=" + dir);
        args.add("--sluice.drop.enabled=false");
        args.add("--spring.main.banner-mode=off");
        args.add("--logging.config=classpath:sluice-cli-logback.xml");
        // errors only: the server's own INFO lines (batch loaded, completed...) are for serve, not for a command
        args.add("--logging.level.root=ERROR");
        args.add("--logging.level.dev.sluice=ERROR");
        // only used when the data directory has no account yet
        args.add("--SLUICE_BOOTSTRAP_API_KEY=" + key);
        // a command waits on its one job: idle workers look for its next task every 50 ms instead of 500 ms, which
        // takes about a second off a small job at the cost of a cheap query per poll while the command runs
        args.add("--sluice.job.poll-interval=50ms");
        if (offline) {
            args.add("--sluice.verify.dns.enabled=false");
        }
        args.addAll(properties);
        ConfigurableApplicationContext context =
                SluiceApplication.run(SpringArgs.lastWins(args).toArray(String[]::new));
        try {
            if (givenKey == null) {
                key = ensureKey(context.getBean(AccountService.class), key, keyFile);
            }
            URI uri = URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
            return new EmbeddedServer(context, uri, key);
        } catch (IOException | RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The key that works on this data directory, written to the key file when it changed. */
    private static String ensureKey(AccountService accounts, String key, Path keyFile) throws IOException {
        String working = key;
        if (accounts.authenticate(key).isEmpty()) {
            var admin = accounts.firstAdmin().orElseThrow(() -> new IllegalStateException(
                    "the data directory has accounts but no admin account; pass --api-key"));
            working = accounts.addKey(admin.id(), ApiKeyKind.LIVE).key();
        }
        if (!Files.isRegularFile(keyFile) || !Files.readString(keyFile, StandardCharsets.UTF_8).strip().equals(working)) {
            writeOwnerOnly(keyFile, working);
        }
        return working;
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException raced) {
            // another command wrote it at the same moment; ours replaces it below
        }
        Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String mintKey() {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        return "sk_live_cli_" + HexFormat.of().formatHex(secret);
    }

    URI baseUri() {
        return baseUri;
    }

    String apiKey() {
        return apiKey;
    }

    /** Stops the server: running work is left in the store and resumes on the next start. */
    @Override
    public void close() {
        context.close();
    }
}
