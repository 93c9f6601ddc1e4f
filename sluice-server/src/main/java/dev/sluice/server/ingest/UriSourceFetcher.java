package dev.sluice.server.ingest;

import dev.sluice.server.job.BatchRejectedException;
import dev.sluice.server.job.FetchFailedException;
import dev.sluice.server.job.JobProperties;
import dev.sluice.server.job.SourceFetcher;
import dev.sluice.server.store.UriPasswords;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Fetches {@code http}, {@code https} and {@code ftp} URIs, with basic authentication taken from the URI's
 * user info as the seed allows. Refuses special-purpose addresses unless {@code sluice.fetch.allow} names
 * the host or address and port ({@link AddressGuard}). Redirects are not followed, so a public URI cannot
 * bounce the server onto a private one. Every fetch is bounded: connect and headers by {@code timeout},
 * the body by {@code read-timeout}, {@code min-rate} and {@code deadline} ({@link FetchWatch}); and at most
 * {@link FetchProperties#effectiveConcurrency} run at once ({@link FetchSlots}), fewer than the workers.
 */
@Component
class UriSourceFetcher implements SourceFetcher, DisposableBean {

    private final FetchProperties properties;
    private final IngestProperties limits;
    private final AddressGuard guard;
    private final FetchSlots slots;
    private final FetchWatch watch;
    private final UriPasswords passwords;

    UriSourceFetcher(FetchProperties properties, IngestProperties limits, AddressGuard guard, JobProperties jobs,
            UriPasswords passwords) {
        this.passwords = passwords;
        this.properties = properties;
        this.limits = limits;
        this.guard = guard;
        this.slots = new FetchSlots(properties.effectiveConcurrency(jobs.effectiveWorkerThreads()),
                properties.concurrencyPerAccount());
        this.watch = new FetchWatch(properties);
    }

    @Override
    public long maxBytes() {
        return limits.maxFileSize().toBytes();
    }

    @Override
    public Optional<InputStream> open(String accountId, String uriText) throws IOException {
        URI uri;
        try {
            uri = new URI(passwords.reveal(uriText));
        } catch (URISyntaxException e) {
            throw new BatchRejectedException("invalid_source_uri", "the source URI is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ftp")) {
            throw new BatchRejectedException("invalid_source_uri", "source URIs must be http, https or ftp, not '" + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new BatchRejectedException("invalid_source_uri", "the source URI has no host");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> 21;
        };
        checkAddress(uri.getHost(), port);
        Optional<FetchSlots.Slot> slot = slots.tryTake(accountId);
        if (slot.isEmpty()) {
            return Optional.empty();
        }
        try {
            InputStream body = scheme.equals("ftp") ? ftp(uri, port, slot.get()) : http(uri, port, slot.get());
            return Optional.of(body);
        } catch (IOException | RuntimeException e) {
            slot.get().release();
            throw e;
        }
    }

    private InputStream http(URI uri, int port, FetchSlots.Slot slot) throws IOException {
        URI withoutUser;
        try {
            withoutUser = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getRawPath() == null ? null : uri.getPath(),
                    uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new BatchRejectedException("invalid_source_uri", "the source URI is not a valid URI");
        }
        String target = uri.getHost() + ":" + port;
        HttpRequest.Builder request = HttpRequest.newBuilder(withoutUser).timeout(properties.timeout()).GET();
        if (uri.getRawUserInfo() != null) {
            String userInfo = java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        // One client per fetch: shutting it down is how the watch unblocks a stalled body read.
        HttpClient client = HttpClient.newBuilder().connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        FetchWatch.Fetch fetch = watch.start(target, client::shutdownNow);
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            fetch.finish();
            client.shutdownNow();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw failure(target, fetch, e);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            fetch.finish();
            client.shutdownNow();
            String message = "fetching from " + target + " answered HTTP " + status;
            if (status / 100 == 5 || status == 408 || status == 429) {
                throw FetchFailedException.retryable(message);
            }
            throw FetchFailedException.permanent(message + (status / 100 == 3 ? " (redirects are not followed)" : ""));
        }
        return fetch.body(response.body(), () -> {
            client.shutdownNow();
            slot.release();
        });
    }

    private InputStream ftp(URI uri, int port, FetchSlots.Slot slot) throws IOException {
        // Connect to an address the guard passed, and keep it for the data connection.
        InetAddress address = null;
        try {
            for (InetAddress candidate : InetAddress.getAllByName(uri.getHost())) {
                if (guard.refusal(uri.getHost(), candidate, port).isEmpty()) {
                    address = candidate;
                    break;
                }
            }
        } catch (UnknownHostException e) {
            throw new BatchRejectedException("fetch_failed", "the source host '" + uri.getHost() + "' does not resolve");
        }
        if (address == null) {
            checkAddress(uri.getHost(), port);
            throw new BatchRejectedException("source_not_allowed", "the source host '" + uri.getHost()
                    + "' resolves to no address the server may reach");
        }
        InputStream data = FtpSource.open(uri, address, port, properties.timeout(), watch);
        return new java.io.FilterInputStream(data) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    slot.release();
                }
            }
        };
    }

    /** A failed request as a sentence, retryable or not; never the exception's own text. */
    private FetchFailedException failure(String target, FetchWatch.Fetch fetch, Exception e) {
        if (fetch.abortedFor() != null) {
            return fetch.abortedFor();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return FetchFailedException.retryable("connecting to " + target + " timed out after "
                    + FetchWatch.describe(properties.timeout()) + " (sluice.fetch.timeout)");
        }
        if (e instanceof HttpTimeoutException) {
            return FetchFailedException.retryable("the source at " + target + " sent no response headers within "
                    + FetchWatch.describe(properties.timeout()) + " (sluice.fetch.timeout)");
        }
        if (e instanceof ConnectException) {
            return FetchFailedException.retryable("the source at " + target + " refused the connection");
        }
        if (e instanceof SSLException) {
            return FetchFailedException.permanent("the TLS handshake with " + target
                    + " failed; the server's certificate may be invalid or untrusted");
        }
        if (e instanceof InterruptedException) {
            return FetchFailedException.retryable("the fetch from " + target + " was interrupted (the server is stopping)");
        }
        return FetchFailedException.retryable("the connection to " + target + " failed before the response headers");
    }

    /** Refuses hosts that resolve to an address the server must not reach, unless allowed. */
    private void checkAddress(String host, int port) {
        guard.refusal(host, port).ifPresent(refusal -> {
            throw new BatchRejectedException(refusal.kind() == AddressGuard.Kind.UNRESOLVED ? "fetch_failed"
                    : "source_not_allowed", refusal.message("source"));
        });
    }

    @Override
    public void destroy() {
        watch.close();
    }
}
