package dev.sluice.server.ingest;

import dev.sluice.server.job.BatchRejectedException;
import dev.sluice.server.job.SourceFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Fetches {@code http}, {@code https} and {@code ftp} URIs, with basic authentication taken from the URI's
 * user info as the seed allows. Refuses loopback, private, link-local (cloud metadata included), multicast
 * and unspecified addresses unless {@code sluice.fetch.allow} names the host or address. Redirects are not
 * followed, so a public URI cannot bounce the server onto a private one.
 */
@Component
class UriSourceFetcher implements SourceFetcher {

    private final FetchProperties properties;
    private final IngestProperties limits;
    private final Set<String> allowed;
    private final HttpClient http;

    UriSourceFetcher(FetchProperties properties, IngestProperties limits) {
        this.properties = properties;
        this.limits = limits;
        this.allowed = properties.allow().stream().map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public long maxBytes() {
        return limits.maxFileSize().toBytes();
    }

    @Override
    public InputStream open(String uriText) throws IOException {
        URI uri;
        try {
            uri = new URI(uriText);
        } catch (URISyntaxException e) {
            throw new BatchRejectedException("invalid_source_uri", "the source URI is not a valid URI: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ftp")) {
            throw new BatchRejectedException("invalid_source_uri", "source URIs must be http, https or ftp, not '" + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new BatchRejectedException("invalid_source_uri", "the source URI has no host");
        }
        checkAddress(uri.getHost());
        return scheme.equals("ftp") ? ftp(uri) : http(uri);
    }

    private InputStream http(URI uri) throws IOException {
        URI withoutUser;
        try {
            withoutUser = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath() == null ? null : uri.getPath(),
                    uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new BatchRejectedException("invalid_source_uri", e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(withoutUser).timeout(properties.timeout()).GET();
        if (uri.getRawUserInfo() != null) {
            String userInfo = java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + withoutUser, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            response.body().close();
            String message = "fetching " + withoutUser + " answered HTTP " + status;
            if (status / 100 == 4 || status / 100 == 3) {
                throw new BatchRejectedException("fetch_failed", message + (status / 100 == 3 ? " (redirects are not followed)" : ""));
            }
            throw new IOException(message);
        }
        return response.body();
    }

    private InputStream ftp(URI uri) throws IOException {
        URLConnection connection = uri.toURL().openConnection();
        connection.setConnectTimeout((int) properties.timeout().toMillis());
        connection.setReadTimeout((int) properties.timeout().toMillis());
        return connection.getInputStream();
    }

    /** Refuses hosts that resolve to an address the server must not reach, unless allowed. */
    private void checkAddress(String host) throws IOException {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (allowed.contains(name)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new BatchRejectedException("fetch_failed", "the source host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed.contains(address.getHostAddress()) && isInternal(address)) {
                throw new BatchRejectedException("source_not_allowed", "the source host '" + host + "' resolves to "
                        + address.getHostAddress() + ", a loopback, private or link-local address; an operator can "
                        + "allow it with sluice.fetch.allow");
            }
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        if (address instanceof Inet6Address) {
            byte first = address.getAddress()[0];
            // fc00::/7: unique local addresses
            return (first & 0xfe) == 0xfc;
        }
        byte[] bytes = address.getAddress();
        // 100.64.0.0/10 carrier-grade NAT, 0.0.0.0/8
        return (bytes[0] == 100 && (bytes[1] & 0xc0) == 64) || bytes[0] == 0;
    }
}
