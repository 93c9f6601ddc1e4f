package dev.sluice.core.verify.smtp;

import java.util.Objects;

/**
 * How SMTP connections to one provider leave this host, overriding {@link SmtpSettings#proxy()}: through
 * another SOCKS5 proxy, or {@link #DIRECT}ly. {@link #toString()} never shows a password.
 *
 * @param proxy the proxy to go through, or null to connect directly
 */
public record SmtpRoute(SmtpProxy proxy) {

    /** Connect directly, bypassing the default proxy. */
    public static final SmtpRoute DIRECT = new SmtpRoute(null);

    /** The word that means {@link #DIRECT} in configuration. */
    public static final String DIRECT_WORD = "direct";

    /**
     * Reads {@value #DIRECT_WORD} or {@code socks5://[user:password@]host:port}; errors never repeat the text.
     */
    public static SmtpRoute parse(String text) {
        Objects.requireNonNull(text, "text");
        return text.strip().equalsIgnoreCase(DIRECT_WORD) ? DIRECT : new SmtpRoute(SmtpProxy.parse(text));
    }

    @Override
    public String toString() {
        return proxy == null ? DIRECT_WORD : proxy.toString();
    }
}
