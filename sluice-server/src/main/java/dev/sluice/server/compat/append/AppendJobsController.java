package dev.sluice.server.compat.append;

import dev.sluice.core.result.ResultFormat;
import dev.sluice.server.account.Caller;
import dev.sluice.server.delivery.NotificationUrls;
import dev.sluice.server.door.PublicUrls;
import dev.sluice.server.ingest.BatchIntake;
import dev.sluice.server.ingest.IngestProperties;
import dev.sluice.server.ingest.UrlSigner;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.job.Notification;
import dev.sluice.server.job.Operation;
import dev.sluice.server.store.UriPasswords;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The seed's asynchronous jobs, batch-files and batches, each a native append job or batch. Ids are the
 * native ones ({@code job_...}, {@code bat_...}); a batch-file and an inline batch are both native batches,
 * so either path reads either.
 */
@RestController
@RequestMapping("/{version:v\\d+}/async/append/email/job")
class AppendJobsController {

    private static final String OUTPUT_FORMAT = "output_format";
    private static final String NOTIFICATION_URL = "notification_URL";
    private static final String NOTIFICATION_METHOD = "notification_method";

    private final AuthorizationTokens tokens;
    private final AppendDataset dataset;
    private final JobService jobs;
    private final BatchIntake intake;
    private final UrlSigner signer;
    private final IngestProperties ingest;
    private final Clock clock;
    private final PublicUrls urls;
    private final NotificationUrls notificationUrls;
    private final BatchFileListenerStore listeners;

    AppendJobsController(AuthorizationTokens tokens, AppendDataset dataset, JobService jobs, BatchIntake intake,
            UrlSigner signer, IngestProperties ingest, Clock clock, PublicUrls urls,
            NotificationUrls notificationUrls, BatchFileListenerStore listeners) {
        this.notificationUrls = notificationUrls;
        this.listeners = listeners;
        this.tokens = tokens;
        this.dataset = dataset;
        this.jobs = jobs;
        this.intake = intake;
        this.signer = signer;
        this.ingest = ingest;
        this.clock = clock;
        this.urls = urls;
    }

    /** {@code {"name", "output_format"?, "notification_URL"?, "notification_method"?}} → {@code {"job_id"}}. */
    @PostMapping
    Map<String, Object> createJob(HttpServletRequest request, @RequestBody(required = false) Map<String, Object> body) {
        Caller caller = tokens.caller(request);
        Map<String, Object> payload = body == null ? Map.of() : body;
        if (!(payload.get("name") instanceof String name) || name.isBlank()) {
            throw SeedException.badRequest("the request payload must contain the name of the job: {\"name\": \"...\"}");
        }
        ResultFormat format = outputFormat(payload, ResultFormat.JSON);
        Notification notification = notification(payload);
        dataset.ensure(caller);
        Job job = jobs.create(caller, new JobService.NewJob(name.strip(), Operation.APPEND, dataset.options(), format,
                notification, null), null, null).job();
        return Map.of("job_id", job.id());
    }

    @GetMapping("/{jobId}")
    Map<String, Object> job(HttpServletRequest request, @PathVariable String jobId) {
        Job job = job(tokens.caller(request), jobId);
        Map<SeedState, Long> counts = new EnumMap<>(SeedState.class);
        for (SeedState state : SeedState.values()) {
            counts.put(state, 0L);
        }
        for (Map.Entry<BatchStatus, Long> entry : jobs.batchCounts(job).entrySet()) {
            counts.merge(SeedState.of(entry.getKey()), entry.getValue(), Long::sum);
        }
        List<String> batchList = jobs.batches(job).stream().map(Batch::id).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("state", SeedState.ofJob(job.status(), counts).name());
        answer.put("number_batches_waiting_for_upload", counts.get(SeedState.WAITING_FOR_UPLOAD));
        answer.put("number_batches_queued", counts.get(SeedState.QUEUED));
        answer.put("number_batches_in_progress", counts.get(SeedState.IN_PROGRESS));
        answer.put("number_batches_completed", counts.get(SeedState.COMPLETED));
        answer.put("number_batches_failed", counts.get(SeedState.FAILED));
        answer.put("number_batches_malformed", counts.get(SeedState.MALFORMED));
        answer.put("created_date", millis(job.createdAt()));
        answer.put("output_format", seedFormat(job.outputFormat()));
        answer.put("batch_list", batchList);
        return answer;
    }

    /**
     * A batch-file waiting for a PUT to {@code upload_URL} (valid {@code sluice.ingest.upload-url-ttl}, 8 h).
     * The optional attributes are checked; the result's format is the job's. A {@code notification_URL} is
     * called with {@code notification_method} when this batch-file reaches a final state (event
     * {@code batch_file.<status>}), besides the job's own listener.
     */
    @PostMapping("/{jobId}/batch-file")
    Map<String, Object> createBatchFile(HttpServletRequest request, @PathVariable String jobId,
            @RequestBody(required = false) Map<String, Object> body) {
        Caller caller = tokens.caller(request);
        Job job = job(caller, jobId);
        Notification notification = checkBatchAttributes(job, body == null ? Map.of() : body);
        BatchIntake.UploadTicket ticket = intake.createForUpload(caller, job);
        if (notification != null) {
            // the batch waits for its upload (hours at most), so it cannot finish before its listener is kept
            listeners.register(ticket.batch(), notification);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batch_id", ticket.batch().id());
        answer.put("upload_URL", absolute(ticket.uploadUrl()));
        return answer;
    }

    @GetMapping({"/{jobId}/batch-file/{batchId}", "/{jobId}/batch/{batchId}"})
    Map<String, Object> batch(HttpServletRequest request, @PathVariable String jobId, @PathVariable String batchId) {
        Batch batch = batch(tokens.caller(request), jobId, batchId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("state", SeedState.of(batch.status()).name());
        answer.put("created_date", millis(batch.createdAt()));
        return answer;
    }

    /** The signed download link of a completed batch's result ({@code sluice.ingest.download-url-ttl}). */
    @GetMapping({"/{jobId}/batch-file/{batchId}/result", "/{jobId}/batch/{batchId}/result"})
    Map<String, Object> result(HttpServletRequest request, @PathVariable String jobId, @PathVariable String batchId) {
        Batch batch = batch(tokens.caller(request), jobId, batchId);
        SeedState state = SeedState.of(batch.status());
        if (state != SeedState.COMPLETED) {
            throw new SeedException(409, "batch " + batchId + " is " + state.name()
                    + "; its result can be retrieved once its state is COMPLETED");
        }
        Instant now = clock.instant();
        if (batch.resultExpiresAt() != null && now.isAfter(batch.resultExpiresAt())) {
            throw new SeedException(410, "the result of batch " + batchId + " expired at "
                    + batch.resultExpiresAt().toEpochMilli() + " and was deleted");
        }
        Instant expires = now.plus(ingest.downloadUrlTtl());
        if (batch.resultExpiresAt() != null && expires.isAfter(batch.resultExpiresAt())) {
            expires = batch.resultExpiresAt();
        }
        return Map.of("download_url", absolute(signer.sign("GET", BatchIntake.downloadPath(batch), expires)));
    }

    /**
     * An asynchronous batch: the records in the payload, {@code {"records": [{"first_name": ..., ...}, ...],
     * "output_format"?, "notification_URL"?, "notification_method"?}} → {@code {"batch_id"}}.
     */
    @PostMapping("/{jobId}/batch")
    Map<String, Object> createBatch(HttpServletRequest request, @PathVariable String jobId) throws IOException {
        Caller caller = tokens.caller(request);
        Job job = job(caller, jobId);
        long max = ingest.maxInlineSize().toBytes();
        if (request.getContentLengthLong() > max) {
            throw new SeedException(413, "an asynchronous batch takes at most " + max
                    + " bytes; send larger data as a batch-file");
        }
        try (InputStream in = request.getInputStream()) {
            return Map.of("batch_id", intake.inline(caller, job, in, true, shape -> {
                if (shape.array()) {
                    throw SeedException.badRequest("the request payload must be a JSON object with \"records\"");
                }
                checkBatchAttributes(job, shape.attributes());
                if (!shape.records()) {
                    throw SeedException.badRequest("the request payload must contain the records: {\"records\": "
                            + "[{\"first_name\": \"...\", \"last_name\": \"...\", \"address\": \"...\", \"city\": "
                            + "\"...\", \"state\": \"...\", \"zip\": \"...\"}, ...]}");
                }
            }).id());
        }
    }

    private Job job(Caller caller, String jobId) {
        return jobs.find(caller, jobId).filter(job -> job.operation() == Operation.APPEND)
                .orElseThrow(() -> SeedException.notFound("job", jobId));
    }

    private Batch batch(Caller caller, String jobId, String batchId) {
        job(caller, jobId);
        return jobs.batch(caller, jobId, batchId).orElseThrow(() -> SeedException.notFound("batch", batchId));
    }

    /**
     * A batch's optional attributes: its output format must be its job's, a notification must be whole.
     * Answers the notification, or null when none was given.
     */
    private Notification checkBatchAttributes(Job job, Map<String, Object> payload) {
        ResultFormat format = outputFormat(payload, job.outputFormat());
        if (format != job.outputFormat()) {
            throw SeedException.badRequest("output_format " + seedFormat(format) + " differs from the job's "
                    + seedFormat(job.outputFormat()) + "; create a job with output_format " + seedFormat(format));
        }
        return notification(payload);
    }

    private static ResultFormat outputFormat(Map<String, Object> payload, ResultFormat absent) {
        Object value = payload.get(OUTPUT_FORMAT);
        if (value == null) {
            return absent;
        }
        String wire = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        return switch (wire) {
            case "json" -> ResultFormat.JSON;
            case "csv" -> ResultFormat.CSV;
            case "ndjson" -> ResultFormat.NDJSON;
            default -> throw SeedException.badRequest("output_format '" + value + "' is not supported; use JSON, CSV "
                    + "or NDJSON");
        };
    }

    private Notification notification(Map<String, Object> payload) {
        Object url = payload.get(NOTIFICATION_URL);
        Object method = payload.get(NOTIFICATION_METHOD);
        if (url == null) {
            if (method != null) {
                throw SeedException.badRequest("notification_method is given without notification_URL; send both or "
                        + "neither");
            }
            return null;
        }
        String address = String.valueOf(url).strip();
        notificationUrls.refusal(address).ifPresent(refusal -> {
            throw SeedException.badRequest(refusal.reason() == NotificationUrls.Reason.NOT_A_URI
                    ? "notification_URL '" + UriPasswords.mask(address) + "' is not a URL"
                    : "notification_URL " + refusal.sentence() + ", was '" + UriPasswords.mask(address) + "'");
        });
        if (method == null) {
            throw SeedException.badRequest("notification_URL needs notification_method: GET or POST");
        }
        String verb = String.valueOf(method).strip().toUpperCase(Locale.ROOT);
        if (!verb.equals("GET") && !verb.equals("POST")) {
            throw SeedException.badRequest("notification_method '" + method + "' is not supported; use GET or POST");
        }
        return new Notification(address, verb);
    }

    private String absolute(UrlSigner.Signed signed) {
        return urls.absolute(signed);
    }

    private static String millis(Instant instant) {
        return String.valueOf(instant.toEpochMilli());
    }

    private static String seedFormat(ResultFormat format) {
        return format.name();
    }
}
