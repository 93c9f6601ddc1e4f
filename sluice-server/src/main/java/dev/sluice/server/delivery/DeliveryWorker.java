package dev.sluice.server.delivery;

import dev.sluice.server.ingest.AddressGuard;
import dev.sluice.server.store.UriPasswords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes one attempt at a delivery and records it. Repeatable: a round that is no longer current (the
 * delivery was redelivered, or already settled) is skipped, and a worker that dies mid-send leaves the task
 * to be run again, so a receiver may see an id twice but never a settled delivery again unasked.
 */
@Component
class DeliveryWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    /** Longest error text kept per attempt. */
    static final int MAX_ERROR_LENGTH = 500;
    static final String USER_AGENT = "Sluice-Webhooks/1";
    /** Attempts the receiver accepted (2xx). */
    static final String DELIVERIES_SUCCEEDED = "sluice.deliveries.succeeded";
    /** Attempts that failed: an error answer, no answer, or a refused URL; retries count again. */
    static final String DELIVERIES_FAILED = "sluice.deliveries.failed";

    private final DeliveryStore store;
    private final WebhookSecrets secrets;
    private final AddressGuard guard;
    private final DeliveryProperties properties;
    private final RetryPolicy policy;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    /** Made by the first attempt ({@link #http()}); null before it. */
    private HttpClient http;
    private boolean closed;
    private final Counter succeeded;
    private final Counter failed;

    private final UriPasswords passwords;
    private final NotificationUrls urls;

    DeliveryWorker(DeliveryStore store, WebhookSecrets secrets, AddressGuard guard, DeliveryProperties properties,
            TransactionTemplate tx, JsonMapper json, Clock clock, MeterRegistry meters, UriPasswords passwords,
            NotificationUrls urls) {
        this.passwords = passwords;
        this.urls = urls;
        this.store = store;
        this.secrets = secrets;
        this.guard = guard;
        this.properties = properties;
        this.policy = properties.retryPolicy();
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.succeeded = Counter.builder(DELIVERIES_SUCCEEDED)
                .description("Notification attempts the receiver accepted with a 2xx answer").register(meters);
        this.failed = Counter.builder(DELIVERIES_FAILED)
                .description("Notification attempts that failed (error answer, no answer, refused URL)").register(meters);
    }

    /**
     * Stops the HTTP client with the application context (the task engine, stopped before, runs no attempt now).
     * Left open, its selector thread waited in native code until the process ended, and the JVM gives such threads
     * 300 ms before it exits: an in-process CLI command took that much longer to end.
     */
    @Override
    public void close() {
        HttpClient client;
        synchronized (this) {
            closed = true;
            client = http;
        }
        if (client == null) {
            return;
        }
        client.shutdownNow();
        try {
            client.awaitTermination(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close} has run and stopped the HTTP client and its threads, if an attempt made one. */
    synchronized boolean closed() {
        return closed && (http == null || http.isTerminated());
    }

    /** Whether an attempt has made the HTTP client. */
    synchronized boolean clientMade() {
        return http != null;
    }

    /**
     * The HTTP client, made by the first attempt: making one loads the JVM's default TLS context (its trusted
     * certificates), about 50 ms of every start, most of which deliver nothing for a while. Null once closed.
     */
    private synchronized HttpClient http() {
        if (http == null && !closed) {
            http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return closed ? null : http;
    }

    /** What one attempt came to: a status code, or an error; {@code permanent} when retrying cannot help. */
    record Outcome(Integer statusCode, String error, boolean permanent) {

        boolean success() {
            return statusCode != null && statusCode / 100 == 2;
        }
    }

    /**
     * Runs the attempt that task data {@code <delivery id>/<round>} stands for. Answers when to try again, or
     * empty when the delivery is settled (delivered, failed) or the round is not current.
     */
    Optional<Instant> send(String data) {
        String id = DeliveryTasks.deliveryOf(data);
        int round = DeliveryTasks.roundOf(data);
        Delivery delivery = store.findById(id).orElse(null);
        if (delivery == null || delivery.status() != DeliveryStatus.PENDING || delivery.redeliveries() != round) {
            return Optional.empty();
        }
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Outcome outcome = attempt(delivery);
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Optional<Instant> next = tx.execute(status -> settle(delivery, started, durationMs, outcome));
        // counted once the attempt is on record: an attempt whose recording failed is made again
        (outcome.success() ? succeeded : failed).increment();
        if (outcome.success()) {
            log.info("notification delivered: job={} batch={} delivery={} status={}", delivery.jobId(),
                    delivery.batchId(), id, outcome.statusCode());
        } else {
            log.warn("notification attempt failed: job={} batch={} delivery={} {}; {}", delivery.jobId(),
                    delivery.batchId(), id, describe(outcome),
                    next.map(at -> "next attempt at " + at).orElse("no further attempt"));
        }
        return next;
    }

    private Optional<Instant> settle(Delivery delivery, Instant started, long durationMs, Outcome outcome) {
        String error = outcome.success() ? null : describe(outcome);
        int attempt = store.recordAttempt(delivery.id(), started, outcome.statusCode(), outcome.error(), durationMs);
        Instant now = clock.instant();
        if (outcome.success()) {
            store.settle(delivery, DeliveryStatus.DELIVERED, null, outcome.statusCode(), null, now);
            return Optional.empty();
        }
        Optional<Duration> wait = outcome.permanent() ? Optional.empty()
                : policy.delayAfter(attempt - delivery.attemptsBeforeRound());
        if (wait.isEmpty()) {
            store.settle(delivery, DeliveryStatus.FAILED, null, outcome.statusCode(), error, now);
            return Optional.empty();
        }
        Instant next = now.plus(wait.get());
        return store.settle(delivery, DeliveryStatus.PENDING, next, outcome.statusCode(), error, now)
                ? Optional.of(next) : Optional.empty();
    }

    private static String describe(Outcome outcome) {
        return outcome.error() != null ? outcome.error() : "the receiver answered HTTP " + outcome.statusCode();
    }

    private Outcome attempt(Delivery delivery) {
        String url = passwords.reveal(delivery.url());
        Optional<NotificationUrls.Refusal> shape = urls.refusal(url);
        if (shape.isPresent()) {
            return refused("the notification URL " + shape.get().sentence());
        }
        URI uri = URI.create(url.strip());
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        Optional<AddressGuard.Refusal> refusal = guard.refusal(uri.getHost(), port);
        if (refusal.isPresent()) {
            return refusal.get().kind() == AddressGuard.Kind.INTERNAL ? refused(refusal.get().message("notification"))
                    : new Outcome(null, refusal.get().message("notification"), false);
        }
        boolean post = "POST".equalsIgnoreCase(delivery.method());
        byte[] body = post ? delivery.payload().getBytes(StandardCharsets.UTF_8) : new byte[0];
        URI target = post ? uri : withQuery(uri, queryOf(delivery));
        long timestamp = clock.instant().getEpochSecond();
        String secret = secrets.getOrCreate(delivery.accountId()).secret();
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(properties.readTimeout())
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", delivery.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.sign(secret, delivery.id(), timestamp, body));
        if (post) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.GET();
        }
        return exchange(request.build(), target);
    }

    /** Sends and waits at most the read timeout for the whole answer, body included (which is discarded). */
    private Outcome exchange(HttpRequest request, URI target) {
        Duration limit = properties.connectTimeout().plus(properties.readTimeout());
        HttpClient client = http();
        if (client == null) {
            return new Outcome(null, "the server is stopping; calling " + target + " again later", false);
        }
        CompletableFuture<HttpResponse<Void>> response =
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return new Outcome(response.get(limit.toMillis(), TimeUnit.MILLISECONDS).statusCode(), null, false);
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted while calling " + target, false);
        } catch (TimeoutException | CancellationException e) {
            response.cancel(true);
            return new Outcome(null, "no answer from " + target + " within " + limit, false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String error;
            if (cause instanceof HttpTimeoutException) {
                error = "no answer from " + target + " within " + properties.readTimeout()
                        + " (sluice.delivery.read-timeout)";
            } else if (cause instanceof ConnectException) {
                error = "could not connect to " + target + ": " + cause.getMessage();
            } else {
                error = "calling " + target + " failed: " + cause;
            }
            return new Outcome(null, truncate(error), false);
        }
    }

    private static Outcome refused(String reason) {
        return new Outcome(null, truncate(reason), true);
    }

    private Map<String, String> queryOf(Delivery delivery) {
        JsonNode data = json.readTree(delivery.payload()).get("data");
        Map<String, String> query = new LinkedHashMap<>();
        query.put("event", delivery.eventType());
        query.put("job_id", delivery.jobId());
        if (delivery.batchId() != null) {
            query.put("batch_id", delivery.batchId());
        }
        if (data != null && data.hasNonNull("status")) {
            query.put("status", data.get("status").asString());
        }
        return query;
    }

    private static URI withQuery(URI uri, Map<String, String> params) {
        StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        params.forEach((name, value) -> {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
        String text = uri.toString();
        int cut = text.indexOf('?');
        if (cut < 0) {
            cut = text.indexOf('#');
        }
        String base = cut < 0 ? text : text.substring(0, cut);
        return URI.create(base + "?" + query);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
