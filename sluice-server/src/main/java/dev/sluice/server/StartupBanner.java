package dev.sluice.server;

import dev.sluice.server.config.DatabaseProperties;
import dev.sluice.server.config.NodeIdentity;
import dev.sluice.server.config.NodeProperties;
import dev.sluice.server.config.SluiceProperties;
import dev.sluice.server.drop.DropServer;
import dev.sluice.server.storage.StorageProperties;
import dev.sluice.server.verify.PreflightService;
import dev.sluice.server.verify.VerifyProperties;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aot.AotDetector;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The one block a start prints once the server is ready: version, where the API, the console and the docs
 * are, where the data lives, the SFTP port, the verification stages and what the first preflight run found
 * (printed once that run has finished, which jobs wait for too). The framework's own INFO lines are
 * off by default ({@code logging.level.root=WARN}, Sluice's at INFO), so this is what an operator reads;
 * {@code sluice serve --verbose} or {@code logging.level.root=info} brings them back.
 */
@Component
class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    private final SluiceProperties sluice;
    private final DatabaseProperties database;
    private final StorageProperties storage;
    private final VerifyProperties verify;
    private final NodeProperties node;
    private final NodeIdentity identity;
    private final DropServer drop;
    private final Environment environment;
    private final PreflightService preflight;

    StartupBanner(SluiceProperties sluice, DatabaseProperties database, StorageProperties storage,
            VerifyProperties verify, NodeProperties node, NodeIdentity identity, DropServer drop,
            Environment environment, PreflightService preflight) {
        this.preflight = preflight;
        this.sluice = sluice;
        this.database = database;
        this.storage = storage;
        this.verify = verify;
        this.node = node;
        this.identity = identity;
        this.drop = drop;
        this.environment = environment;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready(ApplicationReadyEvent event) {
        log.info(text(event.getTimeTaken() == null ? -1 : event.getTimeTaken().toMillis()));
    }

    /** The banner's lines, joined; {@code startMillis} negative when unknown. */
    String text(long startMillis) {
        List<String> lines = new ArrayList<>();
        String version = SluiceApplication.class.getPackage().getImplementationVersion();
        lines.add("Sluice " + (version != null ? version : "(development build)") + " is ready"
                + (startMillis >= 0 ? String.format(java.util.Locale.ROOT, " in %.1f s", startMillis / 1000.0) : "")
                + " (node " + identity.id() + ", pid " + ManagementFactory.getRuntimeMXBean().getPid() + ", roles "
                + roles() + (AotDetector.useGeneratedArtifacts() ? ", beans prepared at build time" : "") + ")");
        String base = baseUrl();
        if (node.api() && base != null) {
            lines.add(row("API", base + "/api/v1"));
            lines.add(row("console", base + "/"));
            lines.add(row("docs", base + environment.getProperty("springdoc.swagger-ui.path", "/api/docs")
                    + "  (OpenAPI " + base + environment.getProperty("springdoc.api-docs.path", "/v3/api-docs") + ")"));
        }
        lines.add(row("data", sluice.dataDir().toAbsolutePath().normalize().toString()));
        lines.add(row("database", database.embedded()
                ? "SQLite " + sluice.dataDir().toAbsolutePath().normalize().resolve("sluice.db")
                : "PostgreSQL " + withoutSecrets(database.url())));
        lines.add(row("storage", storage.local()
                ? "local disk " + sluice.dataDir().toAbsolutePath().normalize().resolve("blobs")
                : storage.url() + (storage.s3().endpoint() != null ? " at " + storage.s3().endpoint() : "")));
        lines.add(row("SFTP", drop.enabled() ? "port " + drop.port() : "off (sluice.drop.enabled=false)"));
        lines.add(row("verify", stages() + "; preflight: " + preflight.summary()));
        return String.join(System.lineSeparator(), lines);
    }

    private String baseUrl() {
        String publicUrl = sluice.publicUrl();
        if (publicUrl != null && !publicUrl.isBlank()) {
            return publicUrl.replaceAll("/+$", "");
        }
        String port = environment.getProperty("local.server.port");
        return port == null ? null : "http://localhost:" + port;
    }

    private String roles() {
        List<String> roles = new ArrayList<>();
        if (node.api()) {
            roles.add(NodeProperties.API);
        }
        if (node.worker()) {
            roles.add(NodeProperties.WORKER);
        }
        return String.join("+", roles);
    }

    /** The verification stages this node runs: offline always, then DNS, then SMTP (which needs DNS). */
    private String stages() {
        if (!verify.dns().enabled()) {
            return "offline only (DNS and SMTP off)";
        }
        if (!verify.smtp().enabled()) {
            return "offline, dns (SMTP off)";
        }
        return "offline, dns, smtp (port " + verify.smtp().port() + ")";
    }

    private static String row(String name, String value) {
        return String.format(java.util.Locale.ROOT, "  %-9s %s", name, value);
    }

    /** A JDBC URL without user info or password parameters. */
    static String withoutSecrets(String jdbcUrl) {
        String url = jdbcUrl.replaceAll("(?i)([?&;](password|user)=)[^&;]*", "$1***");
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        if (scheme >= 0 && at > scheme) {
            url = url.substring(0, scheme + 3) + url.substring(at + 1);
        }
        return url;
    }
}
