package dev.sluice.core.verify.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Whether this server can open a connection to a mail server's SMTP port the way the SMTP stage does
 * (directly, or through {@link SmtpSettings#proxy()}), for the preflight check of the egress. The connection
 * is closed at once, before the banner: nothing is asked of the mail server.
 */
public final class SmtpEgress {

    /** How the attempt ended. */
    public enum Outcome {
        /** The connection was opened. */
        CONNECTED,
        /** The mail server could not be reached: refused, timed out, or the proxy said so. */
        UNREACHABLE,
        /** The SOCKS5 proxy could not be reached or refused. */
        PROXY_FAILED
    }

    /**
     * @param outcome      how it ended
     * @param localAddress this side's address of a direct connection (the egress address, unless a NAT lies
     *                     between); null through a proxy or when not connected
     * @param detail       what went wrong, without the proxy's password; empty when connected
     */
    public record Attempt(Outcome outcome, InetAddress localAddress, String detail) {
    }

    private final SmtpSettings settings;

    public SmtpEgress(SmtpSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Tries one connection to {@code address} on the SMTP port, bounded by the connect timeout. */
    public Attempt attempt(InetAddress address) {
        return attempt(address, settings.proxy());
    }

    /** As {@link #attempt(InetAddress)}, through {@code proxy} (null: directly). */
    public Attempt attempt(InetAddress address, SmtpProxy proxy) {
        try (SmtpConnection connection = SmtpConnection.open(address, settings.port(), proxy,
                settings.connectTimeout(), settings.readTimeout(), () -> { }, null)) {
            return new Attempt(Outcome.CONNECTED, proxy == null ? connection.localAddress() : null, "");
        } catch (ProxyFailedException e) {
            return new Attempt(Outcome.PROXY_FAILED, null, e.getMessage());
        } catch (IOException e) {
            return new Attempt(Outcome.UNREACHABLE, null,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
