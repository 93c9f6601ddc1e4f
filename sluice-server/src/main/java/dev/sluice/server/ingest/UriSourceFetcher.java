package dev.sluice.server.ingest;

import dev.sluice.server.job.BatchRejectedException;
import dev.sluice.server.job.SourceFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Fetches {@code http}, {@code https} and {@code ftp} URIs, with basic authentication taken from the URI's
 * user info as the seed allows. Refuses loopback, private, link-local (cloud metadata included), multicast
 * and unspecified addresses unless {@code sluice.fetch.allow} names the host or address ({@link AddressGuard}).
 * Redirects are not followed, so a public URI cannot bounce the server onto a private one.
 */
@Component
class UriSourceFetcher implements SourceFetcher {

    private final FetchProperties properties;
    private final IngestProperties limits;
    private final AddressGuard guard;
    private final HttpClient http;

    UriSourceFetcher(FetchProperties properties, IngestProperties limits, AddressGuard guard) {
        this.properties = properties;
        this.limits = limits;
        this.guard = guard;
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
    private void checkAddress(String host) {
        guard.refusal(host).ifPresent(refusal -> {
            throw new BatchRejectedException(refusal.kind() == AddressGuard.Kind.UNRESOLVED ? "fetch_failed"
                    : "source_not_allowed", refusal.message("source"));
        });
    }
}
