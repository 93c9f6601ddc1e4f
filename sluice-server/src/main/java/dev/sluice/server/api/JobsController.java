package dev.sluice.server.api;

import dev.sluice.core.result.ResultFormat;
import dev.sluice.server.account.Caller;
import dev.sluice.server.api.Views.BatchView;
import dev.sluice.server.api.Views.EventView;
import dev.sluice.server.api.Views.JobView;
import dev.sluice.server.api.Views.Page;
import dev.sluice.server.delivery.NotificationUrls;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Event;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.job.JobStatus;
import dev.sluice.server.job.Notification;
import dev.sluice.server.job.Operation;
import dev.sluice.server.problem.Names;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Jobs: create (idempotent with a key), read, list, cancel, delete, and the event log. */
@RestController
@RequestMapping("/api/v1/jobs")
class JobsController {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;
    static final int MAX_RETENTION_HOURS = 24 * 365;

    private final JobService jobs;
    private final JsonMapper json;

    private final NotificationUrls notificationUrls;
    private final NextRetries nextRetries;

    JobsController(JobService jobs, JsonMapper json, NotificationUrls notificationUrls, NextRetries nextRetries) {
        this.notificationUrls = notificationUrls;
        this.nextRetries = nextRetries;
        this.jobs = jobs;
        this.json = json;
    }

    /** The body of {@code POST /api/v1/jobs}. */
    record CreateJob(String name, String operation, String outputFormat, NotificationRequest notification,
            Integer retentionHours, @Schema(description = OPTIONS) Map<String, Object> options) {
    }

    /** What {@code options} takes, per operation, in the OpenAPI document. */
    static final String OPTIONS = "The operation's options. verify: escape_formulas (boolean, default true), "
            + "source: {uri}, transcripts (boolean, default false: keep the SMTP transcript behind each verdict, "
            + "read at GET /api/v1/jobs/{id}/batches/{batch}/transcripts?email=). import, append and export: "
            + "see the README. An unknown key answers 400.";

    record NotificationRequest(String url, String method) {
    }

    @PostMapping
    ResponseEntity<JobView> create(Caller caller, @RequestBody CreateJob request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        JobService.NewJob job = validate(request);
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
        if (key != null && key.length() > 255) {
            throw new ProblemException(Problem.INVALID_REQUEST, "the Idempotency-Key is longer than 255 characters");
        }
        JobService.Created created = jobs.create(caller, job, key, key == null ? null : hash(request));
        JobView view = view(created.job());
        return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create("/api/v1/jobs/" + view.id()))
                .body(view);
    }

    @GetMapping
    Page<JobView> list(Caller caller, @RequestParam(required = false) String status,
            @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        JobStatus filter = null;
        if (status != null && !status.isBlank()) {
            try {
                filter = JobStatus.fromWire(status.strip());
            } catch (IllegalArgumentException e) {
                throw new ProblemException(Problem.INVALID_REQUEST, "unknown status '" + status + "'; use open or cancelled");
            }
        }
        int size = pageSize(limit);
        List<Job> page = jobs.page(caller, filter, cursor, size);
        String next = page.size() == size ? page.get(page.size() - 1).id() : null;
        return new Page<>(page.stream().map(this::view).toList(), next);
    }

    @GetMapping("/{jobId}")
    JobView get(Caller caller, @PathVariable String jobId) {
        return view(job(caller, jobId));
    }

    @PostMapping("/{jobId}/cancel")
    JobView cancel(Caller caller, @PathVariable String jobId) {
        return view(jobs.cancel(job(caller, jobId)));
    }

    @DeleteMapping("/{jobId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Caller caller, @PathVariable String jobId) {
        if (!jobs.delete(job(caller, jobId))) {
            // another request deleted it first
            throw ProblemException.notFound("job", jobId);
        }
    }

    @GetMapping("/{jobId}/batches")
    Page<BatchView> batches(Caller caller, @PathVariable String jobId) {
        return new Page<>(jobs.batches(job(caller, jobId)).stream()
                .map(b -> BatchView.of(b, null, nextRetries.of(b))).toList(), null);
    }

    @GetMapping("/{jobId}/events")
    Page<EventView> events(Caller caller, @PathVariable String jobId, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        Job job = job(caller, jobId);
        long after = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = Long.parseLong(cursor.strip());
            } catch (NumberFormatException e) {
                throw new ProblemException(Problem.INVALID_REQUEST, "the cursor '" + cursor + "' is not one this API gave");
            }
        }
        int size = pageSize(limit);
        List<Event> page = jobs.events(job, after, size);
        String next = page.size() == size ? String.valueOf(page.get(page.size() - 1).id()) : null;
        return new Page<>(page.stream().map(EventView::of).toList(), next);
    }

    private Job job(Caller caller, String jobId) {
        return jobs.find(caller, jobId).orElseThrow(() -> ProblemException.notFound("job", jobId));
    }

    private JobView view(Job job) {
        Map<BatchStatus, Long> counts = jobs.batchCounts(job);
        return JobView.of(job, counts, jobs.state(job, counts), nextRetries.of(job));
    }

    private static int pageSize(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'limit' must be an integer from 1 to " + MAX_PAGE);
        }
        return limit;
    }

    private JobService.NewJob validate(CreateJob request) {
        if (request == null) {
            throw new ProblemException(Problem.INVALID_REQUEST, "a JSON body with 'name' and 'operation' is required");
        }
        String name = Names.check("name", request.name());
        if (request.operation() == null) {
            throw new ProblemException(Problem.INVALID_REQUEST,
                    "'operation' is required; use verify, estimate, import, append or export");
        }
        Operation operation;
        ResultFormat format;
        try {
            operation = Operation.fromWire(request.operation().strip().toLowerCase(Locale.ROOT));
            format = request.outputFormat() == null ? ResultFormat.CSV
                    : ResultFormat.fromWire(request.outputFormat().strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, e.getMessage());
        }
        if (!format.recordResults() && operation != Operation.EXPORT) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'output_format' " + format.wire() + " is for exports "
                    + "only; a " + operation.wire() + " job writes csv, json or ndjson");
        }
        Notification notification = null;
        if (request.notification() != null) {
            notification = notification(request.notification());
        }
        Duration retention = null;
        if (request.retentionHours() != null) {
            if (request.retentionHours() < 1 || request.retentionHours() > MAX_RETENTION_HOURS) {
                throw new ProblemException(Problem.INVALID_REQUEST,
                        "'retention_hours' must be an integer from 1 to " + MAX_RETENTION_HOURS);
            }
            retention = Duration.ofHours(request.retentionHours());
        }
        return new JobService.NewJob(name, operation,
                request.options() == null ? Map.of() : request.options(), format, notification, retention);
    }

    private Notification notification(NotificationRequest request) {
        if (request.url() == null) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'notification.url' is required; send an absolute https URL");
        }
        notificationUrls.refusal(request.url()).ifPresent(refusal -> {
            throw new ProblemException(Problem.INVALID_REQUEST, "'notification.url' " + refusal.sentence());
        });
        String method = request.method() == null ? "POST" : request.method().strip().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'notification.method' must be GET or POST");
        }
        return new Notification(request.url().strip(), method);
    }

    private String hash(CreateJob request) {
        try {
            byte[] canonical = json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
