package dev.sluice.core.verify.smtp;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A SOCKS5 proxy (RFC 1928) every SMTP connection goes through, with optional username/password
 * authentication (RFC 1929). The MX is resolved locally: the proxy is given the IP address, never a name.
 * The proxy's own address is the operator's choice and is not put to the {@link MxAddressPolicy}.
 * {@link #toString()} never shows the password.
 *
 * @param host     proxy host name or address
 * @param port     proxy port
 * @param username RFC 1929 user name, or null for no authentication
 * @param password RFC 1929 password, or null for no authentication
 */
public record SmtpProxy(String host, int port, String username, String password) {

    public SmtpProxy {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("SOCKS5 proxy host is blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SOCKS5 proxy port must be 1..65535, was " + port);
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("SOCKS5 proxy user name and password go together");
        }
        if (username != null && (username.getBytes(StandardCharsets.UTF_8).length > 255
                || password.getBytes(StandardCharsets.UTF_8).length > 255 || username.isEmpty())) {
            throw new IllegalArgumentException("SOCKS5 proxy user name must be 1..255 bytes and password at most 255");
        }
    }

    /**
     * Reads {@code socks5://[user:password@]host:port} (user and password percent-encoded when they hold
     * {@code :@/}). Errors never repeat the text, which may hold the password.
     */
    public static SmtpProxy parse(String text) {
        Objects.requireNonNull(text, "text");
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "SOCKS5 proxy is not a URI of the form socks5://[user:password@]host:port");
        }
        if (!"socks5".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() == -1
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("SOCKS5 proxy must be socks5://[user:password@]host:port");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return new SmtpProxy(host, uri.getPort(), null, null);
        }
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("SOCKS5 proxy user needs a password: socks5://user:password@host:port");
        }
        return new SmtpProxy(host, uri.getPort(), decode(userInfo.substring(0, colon)),
                decode(userInfo.substring(colon + 1)));
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    boolean authenticates() {
        return username != null;
    }

    /** {@code socks5://user:***@host:port}: the password is never shown. */
    @Override
    public String toString() {
        String hostPart = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return "socks5://" + (username == null ? "" : username + ":***@") + hostPart + ":" + port;
    }
}
