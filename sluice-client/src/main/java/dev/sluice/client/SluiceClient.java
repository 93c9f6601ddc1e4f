package dev.sluice.client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;

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

    private final URI baseUri;
    private final String apiKey;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final Duration requestTimeout;
    private final String userAgent;
    private final Backoff backoff;

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
        this.backoff = b.backoff;
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

    // ---- jobs ----

    /** Creates a job. A verify, import or append job has no batches yet; an export job starts its own. */
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

    /**
     * One page of the account's jobs, newest first.
     *
     * @param status {@code open}, {@code cancelled}, or null for both
     * @param cursor null for the first page, else the previous page's {@link Page#nextCursor()}
     * @param limit  1 to 200, or null for the server's default (50)
     */
    public Page<Job> jobs(String status, String cursor, Integer limit) {
        String query = query("status", status, "cursor", cursor, "limit", limit == null ? null : limit.toString());
        return send(get(API + "/jobs" + query), pageOf(Job.class));
    }

    /** Cancels the job and its unfinished batches; cancelling a cancelled job changes nothing. */
    public Job cancelJob(String jobId) {
        return send(json("POST", API + "/jobs/" + segment(jobId) + "/cancel", Map.of()).build(), Job.class);
    }

    /** Deletes the job with its batches, events and files. */
    public void deleteJob(String jobId) {
        sendForNothing(api(API + "/jobs/" + segment(jobId)).DELETE().build());
    }

    /** Every batch of the job. */
    public List<Batch> batches(String jobId) {
        return this.<Page<Batch>>send(get(API + "/jobs/" + segment(jobId) + "/batches"), pageOf(Batch.class)).items();
    }

    /**
     * One page of the job's log, oldest first. Following {@link Page#nextCursor()} until it is null reads
     * the whole log; keeping the last event's id and asking again later reads only what is new.
     *
     * @param cursor null from the start, else a {@code nextCursor} or the id of the last event seen
     * @param limit  1 to 200, or null for the server's default (50)
     */
    public Page<Event> events(String jobId, String cursor, Integer limit) {
        String query = query("cursor", cursor, "limit", limit == null ? null : limit.toString());
        return send(get(API + "/jobs/" + segment(jobId) + "/events" + query), pageOf(Event.class));
    }

    // ---- batches ----

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
        put(uploadUrl, fileBody(file), contentType);
    }

    /**
     * Streams {@code in} to a batch-file's signed upload URL, in chunks, until it ends; the stream is read as
     * it is sent, never held in memory whole, and closed afterwards.
     */
    public void upload(String uploadUrl, InputStream in, String contentType) {
        Objects.requireNonNull(in, "in");
        put(uploadUrl, BodyPublishers.ofInputStream(() -> in), contentType);
    }

    /**
     * Creates a batch and uploads {@code file} in one multipart request (field {@code file}); the batch is
     * queued when the call returns. The file is streamed from disk.
     */
    public Batch uploadBatchFile(String jobId, Path file) {
        Path name = file.getFileName();
        return multipart(jobId, name == null ? "upload.csv" : name.toString(), fileBody(file));
    }

    /** Like {@link #uploadBatchFile(String, Path)} for a stream, read as it is sent and closed afterwards. */
    public Batch uploadBatchFile(String jobId, String fileName, InputStream in) {
        Objects.requireNonNull(in, "in");
        return multipart(jobId, fileName, BodyPublishers.ofInputStream(() -> in));
    }

    /**
     * A batch of inline records (objects, or email strings for verify), queued at once. The server takes
     * up to 10 MB of JSON; upload a file for more.
     */
    public Batch addRecords(String jobId, List<?> records) {
        return send(json("POST", API + "/jobs/" + segment(jobId) + "/batches", Map.of("records", records)).build(),
                Batch.class);
    }

    /** The batch with its status, counters and, when it failed, the reason. */
    public Batch batch(String jobId, String batchId) {
        return send(get(API + "/jobs/" + segment(jobId) + "/batches/" + segment(batchId)), Batch.class);
    }

    /**
     * One page of the per-record outcomes of an import batch, by 0-based index.
     *
     * @param outcome {@code completed}, {@code failed}, {@code ignored}, or null for all
     * @param cursor  null for the first page, else the previous page's {@link Page#nextCursor()}
     * @param limit   1 to 1000, or null for the server's default (100)
     */
    public Page<Outcome> outcomes(String jobId, String batchId, String outcome, String cursor, Integer limit) {
        String query = query("outcome", outcome, "cursor", cursor, "limit", limit == null ? null : limit.toString());
        return send(get(API + "/jobs/" + segment(jobId) + "/batches/" + segment(batchId) + "/outcomes" + query),
                pageOf(Outcome.class));
    }

    /**
     * The SMTP transcript behind {@code email}'s verdict in a batch of a job created with {@link
     * VerifyOptions#withTranscripts()}. A job without the option, or an address not in the batch, is a {@link
     * NotFoundException}; a batch past its retention a {@link GoneException}.
     */
    public Transcript transcript(String jobId, String batchId, String email) {
        return send(get(API + "/jobs/" + segment(jobId) + "/batches/" + segment(batchId) + "/transcripts"
                + query("email", email)), Transcript.class);
    }

    /**
     * Where to download a completed batch's result. Before the batch completes the server answers 409,
     * thrown as a {@link ConflictException}.
     */
    public Result result(String jobId, String batchId) {
        return send(get(API + "/jobs/" + segment(jobId) + "/batches/" + segment(batchId) + "/result"), Result.class);
    }

    /**
     * Verifies one address now, with the server's default deadline (30 s) for DNS and SMTP. A malformed
     * address is a verdict ({@code invalid}), not an exception; an evaluation key over its checks of the day
     * gets a {@link SluiceApiException} with status 429.
     */
    public Verdict verify(String email) {
        Objects.requireNonNull(email, "email");
        return send(json("POST", API + "/verify", Map.of("email", email)).build(), Verdict.class);
    }

    /**
     * Verifies one address now, waiting at most {@code timeout} (whole milliseconds, at most 120 s) for DNS
     * and SMTP; past it the verdict is {@code unknown} / {@code timeout}. The API call itself may take that
     * long on top of the client's request timeout.
     */
    public Verdict verify(String email, Duration timeout) {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(timeout, "timeout");
        Map<String, String> body = Map.of("email", email, "timeout", timeout.toMillis() + "ms");
        HttpRequest request = json("POST", API + "/verify", body)
                .timeout(requestTimeout.plus(timeout))
                .build();
        return send(request, Verdict.class);
    }

    /**
     * Where to download the rows of a completed verify batch's result that {@code filter} keeps: same format,
     * columns and order as the whole result. An unknown status, or {@code safe_to_send} on a result without
     * that column, is an {@link InvalidRequestException}.
     */
    public Result result(String jobId, String batchId, ResultFilter filter) {
        String query = query("status", filter.statuses().isEmpty() ? null : String.join(",", filter.statuses()),
                "safe_to_send", filter.safeToSend() == null ? null : filter.safeToSend().toString());
        return send(get(API + "/jobs/" + segment(jobId) + "/batches/" + segment(batchId) + "/result" + query),
                Result.class);
    }

    /** The report of a verify job: counts by status, reason, provider and domain, for the job and per batch. */
    public JobReport report(String jobId) {
        return send(get(API + "/jobs/" + segment(jobId) + "/report"), JobReport.class);
    }

    /** Streams a result from its signed download URL into {@code target}, replacing the file if it exists. */
    public void download(String downloadUrl, Path target) {
        HttpRequest request = download(downloadUrl);
        // Only a success goes to the file; an error answer is read as a problem instead. The file is truncated: a
        // longer file of an earlier run must not keep its tail (ofFile(target) alone opens with CREATE, WRITE).
        BodyHandler<String> handler = info -> info.statusCode() / 100 == 2
                ? BodySubscribers.mapping(BodySubscribers.ofFile(target, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING),
                        written -> null)
                : BodySubscribers.ofString(StandardCharsets.UTF_8);
        HttpResponse<String> response = exchange(request, handler);
        requireSuccess(request, response.statusCode(), response.body());
    }

    /**
     * Opens a result's signed download URL as a stream, read from the network as the caller reads it.
     * The caller closes it.
     */
    public InputStream openDownload(String downloadUrl) {
        HttpRequest request = download(downloadUrl);
        HttpResponse<InputStream> response = exchange(request, BodyHandlers.ofInputStream());
        if (response.statusCode() / 100 != 2) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            requireSuccess(request, response.statusCode(), body);
        }
        return response.body();
    }

    // ---- waiting ----

    /** Polls the batch until it reaches a terminal status; see {@link #waitForBatch(String, String, Duration, Consumer)}. */
    public Batch waitForBatch(String jobId, String batchId, Duration timeout) {
        return waitForBatch(jobId, batchId, timeout, batch -> { });
    }

    /**
     * Polls the batch until it is completed, failed, malformed or cancelled and returns it in that state.
     * Polls are spaced by the client's {@link Builder#pollBackoff backoff} (200 ms growing to 2 s by
     * default). {@code onPoll} sees every answer (for progress display).
     *
     * @throws SluiceException when the batch is still running after {@code timeout}
     */
    public Batch waitForBatch(String jobId, String batchId, Duration timeout, Consumer<Batch> onPoll) {
        return waitFor(() -> batch(jobId, batchId), Batch::isTerminal, timeout, onPoll,
                batch -> "batch " + batchId + " of job " + jobId + " is still "
                        + (batch.status() == null ? "running" : batch.status().name().toLowerCase(Locale.ROOT)));
    }

    /** Polls the job until every batch is final; see {@link #waitForJob(String, Duration, Consumer)}. */
    public Job waitForJob(String jobId, Duration timeout) {
        return waitForJob(jobId, timeout, job -> { });
    }

    /**
     * Polls the job until every batch reached a final status or the job was cancelled ({@link Job#isFinished()}),
     * spaced by the client's backoff. A job that has no batch, or one still waiting for its upload, is not
     * finished.
     *
     * @throws SluiceException when the job is still running after {@code timeout}
     */
    public Job waitForJob(String jobId, Duration timeout, Consumer<Job> onPoll) {
        return waitFor(() -> job(jobId), Job::isFinished, timeout, onPoll,
                job -> "job " + jobId + " is still " + job.state());
    }

    private <T> T waitFor(Supplier<T> poll, Predicate<T> done, Duration timeout, Consumer<T> onPoll,
            Function<T, String> stillRunning) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration delay = backoff.initial();
        while (true) {
            T current = poll.get();
            onPoll.accept(current);
            if (done.test(current)) {
                return current;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SluiceException(stillRunning.apply(current) + " after " + timeout
                        + "; wait longer or check the server's log");
            }
            sleep(Math.min(delay.toMillis(), Duration.ofNanos(left).toMillis() + 1));
            delay = backoff.next(delay);
        }
    }

    // ---- datasets ----

    /** Creates a dataset with its typed columns and key; it starts empty. */
    public Dataset createDataset(CreateDataset request) {
        Objects.requireNonNull(request, "request");
        return send(json("POST", API + "/datasets", request).build(), Dataset.class);
    }

    /** The account's datasets with their schemas (without record counts). */
    public List<Dataset> datasets() {
        return this.<Page<Dataset>>send(get(API + "/datasets"), pageOf(Dataset.class)).items();
    }

    /** The dataset with its schema and the number of records it holds. */
    public Dataset dataset(String name) {
        return send(get(API + "/datasets/" + segment(name)), Dataset.class);
    }

    /** Deletes the dataset and its records. */
    public void deleteDataset(String name) {
        sendForNothing(api(API + "/datasets/" + segment(name)).DELETE().build());
    }

    /**
     * One page of the dataset's records, in insertion order, as column to value.
     *
     * @param cursor null for the first page, else the previous page's {@link Page#nextCursor()}
     * @param limit  1 to 200, or null for the server's default (50)
     */
    public Page<Map<String, Object>> records(String dataset, String cursor, Integer limit) {
        String query = query("cursor", cursor, "limit", limit == null ? null : limit.toString());
        JavaType row = Json.MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class);
        return send(get(API + "/datasets/" + segment(dataset) + "/records" + query),
                Json.MAPPER.getTypeFactory().constructParametricType(Page.class, row));
    }

    /**
     * The record with {@code key}: its key values in key order, joined by {@code ,} for a composite key
     * (e.g. {@code Ann,Lee,12345}).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> record(String dataset, String key) {
        return send(get(API + "/datasets/" + segment(dataset) + "/records/" + segment(key)), LinkedHashMap.class);
    }

    /** Writes the record with {@code key} (created, or its given columns changed) and returns it as stored. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> putRecord(String dataset, String key, Map<String, ?> values) {
        return send(json("PUT", API + "/datasets/" + segment(dataset) + "/records/" + segment(key), values).build(),
                LinkedHashMap.class);
    }

    /** Deletes the record with {@code key}. */
    public void deleteRecord(String dataset, String key) {
        sendForNothing(api(API + "/datasets/" + segment(dataset) + "/records/" + segment(key)).DELETE().build());
    }

    // ---- accounts ----

    /** Creates an account with its first live key; needs an admin key. */
    public Account createAccount(String name) {
        return send(json("POST", API + "/accounts", Map.of("name", name)).build(), Account.class);
    }

    /** Adds a key to an account: {@code live} or {@code evaluation}. */
    public ApiKey addKey(String accountId, String kind) {
        return send(json("POST", API + "/accounts/" + segment(accountId) + "/keys", Map.of("kind", kind)).build(),
                ApiKey.class);
    }

    /** Closes the HTTP client when this client created it. */
    @Override
    public void close() {
        if (ownsHttp) {
            http.close();
        }
    }

    private void put(String uploadUrl, HttpRequest.BodyPublisher body, String contentType) {
        // No request timeout: a large file on a slow link may take long, and the connect timeout still applies.
        // Expect: 100-continue, so that a refusal (413 for a file over the limit, 403 for a bad link) arrives
        // as the server's problem before the body is sent, not as a connection closed in the middle of it.
        HttpRequest request = HttpRequest.newBuilder(URI.create(uploadUrl))
                .expectContinue(true)
                .header("Content-Type", contentType)
                .header("User-Agent", userAgent)
                .PUT(body)
                .build();
        HttpResponse<String> response = exchange(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        requireSuccess(request, response.statusCode(), response.body());
    }

    private Batch multipart(String jobId, String fileName, HttpRequest.BodyPublisher file) {
        String boundary = "sluice-" + UUID.randomUUID();
        String safeName = fileName.replaceAll("[\\r\\n\"\\\\]", "_");
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + safeName + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve(API + "/jobs/" + segment(jobId) + "/batch-files"))
                .header(API_KEY_HEADER, apiKey)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", userAgent)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.concat(BodyPublishers.ofByteArray(head), file, BodyPublishers.ofByteArray(tail)))
                .build();
        return send(request, Json.MAPPER.constructType(Batch.class));
    }

    private static HttpRequest.BodyPublisher fileBody(Path file) {
        try {
            return BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new SluiceException("cannot upload " + file + ": the file does not exist", e);
        }
    }

    private HttpRequest download(String downloadUrl) {
        return HttpRequest.newBuilder(URI.create(downloadUrl))
                .header("User-Agent", userAgent)
                .GET()
                .build();
    }

    private static JavaType pageOf(Class<?> item) {
        return Json.MAPPER.getTypeFactory().constructParametricType(Page.class, item);
    }

    /** A query string of the pairs whose value is not null, or "" when there are none. */
    private static String query(String... pairs) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                q.append(q.isEmpty() ? '?' : '&').append(pairs[i]).append('=')
                        .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private void sendForNothing(HttpRequest request) {
        HttpResponse<String> response = exchange(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        requireSuccess(request, response.statusCode(), response.body());
    }

    private <T> T send(HttpRequest request, Class<T> type) {
        return send(request, Json.MAPPER.constructType(type));
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

    private <T> T send(HttpRequest request, JavaType type) {
        HttpResponse<String> response = exchange(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
        requireSuccess(request, response.statusCode(), response.body());
        try {
            return Json.MAPPER.readValue(response.body(), type);
        } catch (JacksonException e) {
            throw new SluiceException("cannot read the answer to " + describe(request) + " as "
                    + type.getRawClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
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
            throw SluiceApiException.of(Json.problem(status, body), request.method() + " " + request.uri().getRawPath());
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while waiting", e);
        }
    }

    /** Settings of a {@link SluiceClient}; {@code baseUri} and {@code apiKey} are required. */
    public static final class Builder {
        private URI baseUri;
        private String apiKey;
        private HttpClient httpClient;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Backoff backoff = Backoff.DEFAULT;

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

        /** How {@code waitFor...} spaces its polls; default {@link Backoff#DEFAULT}. */
        public Builder pollBackoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public SluiceClient build() {
            return new SluiceClient(this);
        }
    }
}
