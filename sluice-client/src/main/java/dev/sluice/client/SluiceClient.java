package dev.sluice.client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;

/**
 * Client of Sluice's native API ({@code /api/v1}). Thread-safe; build one per server and reuse it.
 *
 * <pre>{@code
 * try (SluiceClient sluice = SluiceClient.builder()
 *         .baseUri(URI.create("http://localhost:8080"))
 *         .apiKey(System.getenv("SLUICE_API_KEY"))
 *         .build()) {
 *     Job job = sluice.createJob(CreateJob.verify("march campaign", OutputFormat.CSV));
 *     BatchFile file = sluice.createBatchFile(job.id());
 *     sluice.upload(file.uploadUrl(), Path.of("contacts.csv"));
 *     Batch done = sluice.waitForBatch(job.id(), file.id(), Duration.ofHours(1));
 *     Result result = sluice.result(job.id(), done.id());
 *     sluice.download(result.downloadUrl(), Path.of("contacts-verified.csv"));
 * }
 * }</pre>
 *
 * Every method throws {@link SluiceApiException} when the server answers with an error and
 * {@link SluiceException} when it cannot be reached or its answer cannot be read.
 */
public final class SluiceClient implements AutoCloseable {

    /** Header that carries the API key. */
    public static final String API_KEY_HEADER = "x-api-key";

    private static final String API = "/api/v1";
    private static final Duration FIRST_POLL_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_POLL_DELAY = Duration.ofSeconds(2);

    private final URI baseUri;
    private final String apiKey;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final Duration requestTimeout;
    private final String userAgent;

    private SluiceClient(Builder b) {
        this.baseUri = stripTrailingSlash(Objects.requireNonNull(b.baseUri, "baseUri is required"));
        this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey is required");
        this.ownsHttp = b.httpClient == null;
        this.http = ownsHttp
                ? HttpClient.newBuilder()
                        // HTTP/1.1: an h2c upgrade attempt on a large streamed PUT gains nothing and
                        // some proxies mishandle it.
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(b.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build()
                : b.httpClient;
        this.requestTimeout = b.requestTimeout;
        String version = SluiceClient.class.getPackage().getImplementationVersion();
        this.userAgent = "sluice-client/" + (version != null ? version : "dev");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's root, e.g. {@code http://localhost:8080}. */
    public URI baseUri() {
        return baseUri;
    }

    /** Creates a job; it has no batches yet. */
    public Job createJob(CreateJob request) {
        Objects.requireNonNull(request, "request");
        return send(json("POST", API + "/jobs", request).build(), Job.class);
    }

    /**
     * Creates a job at most once per {@code idempotencyKey}: repeating the call with the same key and body
     * (after a timeout, say) returns the job the first call created.
     */
    public Job createJob(CreateJob request, String idempotencyKey) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return send(json("POST", API + "/jobs", request).header("Idempotency-Key", idempotencyKey).build(), Job.class);
    }

    /** The job with its batch and record counters. */
    public Job job(String jobId) {
        return send(get(API + "/jobs/" + segment(jobId)), Job.class);
    }

    /** Creates a batch that waits for a file; PUT the file to its upload URL with {@link #upload}. */
    public BatchFile createBatchFile(String jobId) {
        return send(json("POST", API + "/jobs/" + segment(jobId) + "/batch-files", Map.of()).build(), BatchFile.class);
    }

    /** Streams {@code file} as CSV to a batch-file's signed upload URL. */
    public void upload(String uploadUrl, Path file) {
        upload(uploadUrl, file, "text/csv");
    }

    /** Streams {@code file} to a batch-file's signed upload URL; the file is never held in memory whole. */
    public void upload(String uploadUrl, Path file, String contentType) {
        HttpRequest.BodyPublisher body;
        try {
            body = BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new SluiceException("cannot upload " + file + ": the file does not exist", e);
        }
        // No request timeout: a large file on a slow link may take long, and the connect timeout still applies.
        HttpRequest request = HttpRequest.newBuilder(URI.create(uploadUrl))
                .header("Content-Type", contentType)
                .header("User-Agent", userAgent)
                .PUT(body)
                .build();
        HttpResponse<String> response = exchange(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        requireSuccess(request, response.statusCode(), response.body());
    }

    /** The batch with its status, counters and, when it failed, the reason. */
    public Batch batch(String jobId, String batchId) {
        return send(get(API + "/jobs/" + segment(jobId) + "/batches/" + segment(batchId)), Batch.class);
    }

    /**
     * Where to download a completed batch's result. Before the batch completes the server answers 409,
     * thrown as a {@link SluiceApiException}.
     */
    public Result result(String jobId, String batchId) {
        return send(get(API + "/jobs/" + segment(jobId) + "/batches/" + segment(batchId) + "/result"), Result.class);
    }

    /** Streams a result from its signed download URL into {@code target}, replacing the file if it exists. */
    public void download(String downloadUrl, Path target) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(downloadUrl))
                .header("User-Agent", userAgent)
                .GET()
                .build();
        // Only a success goes to the file; an error answer is read as a problem instead.
        BodyHandler<String> handler = info -> info.statusCode() / 100 == 2
                ? BodySubscribers.mapping(BodySubscribers.ofFile(target), written -> null)
                : BodySubscribers.ofString(StandardCharsets.UTF_8);
        HttpResponse<String> response = exchange(request, handler);
        requireSuccess(request, response.statusCode(), response.body());
    }

    /** Polls the batch until it reaches a terminal status; see {@link #waitForBatch(String, String, Duration, Consumer)}. */
    public Batch waitForBatch(String jobId, String batchId, Duration timeout) {
        return waitForBatch(jobId, batchId, timeout, batch -> { });
    }

    /**
     * Polls the batch until it is completed, failed, malformed or cancelled and returns it in that state.
     * Polls start 200 ms apart and slow down to one every 2 s. {@code onPoll} sees every answer (for
     * progress display).
     *
     * @throws SluiceException when the batch is still running after {@code timeout}
     */
    public Batch waitForBatch(String jobId, String batchId, Duration timeout, Consumer<Batch> onPoll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration delay = FIRST_POLL_DELAY;
        while (true) {
            Batch batch = batch(jobId, batchId);
            onPoll.accept(batch);
            if (batch.isTerminal()) {
                return batch;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SluiceException("batch " + batchId + " of job " + jobId + " is still "
                        + (batch.status() == null ? "running" : batch.status().name().toLowerCase())
                        + " after " + timeout + "; wait longer or check the server's log");
            }
            sleep(Math.min(delay.toMillis(), Duration.ofNanos(left).toMillis() + 1));
            delay = min(Duration.ofMillis(delay.toMillis() * 3 / 2), MAX_POLL_DELAY);
        }
    }

    /** Closes the HTTP client when this client created it. */
    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    private HttpRequest get(String path) {
        return api(path).GET().build();
    }

    private HttpRequest.Builder json(String method, String path, Object body) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new SluiceException("cannot write the request body of " + method + " " + path, e);
        }
        return api(path)
                .header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofByteArray(bytes));
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(requestTimeout)
                .header(API_KEY_HEADER, apiKey)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent);
    }

    private <T> T send(HttpRequest request, Class<T> type) {
        HttpResponse<String> response = exchange(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        requireSuccess(request, response.statusCode(), response.body());
        try {
            return Json.MAPPER.readValue(response.body(), type);
        } catch (JacksonException e) {
            throw new SluiceException("cannot read the answer to " + describe(request) + " as "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new SluiceException(describe(request) + " failed: " + e + "; is the server running at "
                    + request.uri().resolve("/") + "?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException(describe(request) + " was interrupted", e);
        }
    }

    private static void requireSuccess(HttpRequest request, int status, String body) {
        if (status / 100 != 2) {
            throw new SluiceApiException(Json.problem(status, body), request.method() + " " + request.uri().getRawPath());
        }
    }

    private static String describe(HttpRequest request) {
        // The query of a signed URL is a credential: keep it out of messages and logs.
        URI u = request.uri();
        return request.method() + " " + u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath();
    }

    private static String segment(String id) {
        Objects.requireNonNull(id, "id");
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI stripTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while waiting for a batch", e);
        }
    }

    /** Settings of a {@link SluiceClient}; {@code baseUri} and {@code apiKey} are required. */
    public static final class Builder {
        private URI baseUri;
        private String apiKey;
        private HttpClient httpClient;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The server's root, e.g. {@code http://localhost:8080}; the client adds {@code /api/v1}. */
        public Builder baseUri(URI baseUri) {
            this.baseUri = baseUri;
            return this;
        }

        /** The API key sent in {@code x-api-key} with every API call (not with signed URLs). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** An HTTP client to use instead of the client's own; the caller keeps closing it. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** How long to wait for a TCP connection; default 10 s. Ignored with {@link #httpClient}. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long an API call (not an upload or download) may take; default 60 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        public SluiceClient build() {
            return new SluiceClient(this);
        }
    }
}
