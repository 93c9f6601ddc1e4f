package dev.sluice.server.api;

import dev.sluice.core.result.MissingColumnException;
import dev.sluice.core.result.ResultFilter;
import dev.sluice.server.account.Caller;
import dev.sluice.server.api.Views.BatchView;
import dev.sluice.server.api.Views.ResultView;
import dev.sluice.server.door.PublicUrls;
import dev.sluice.server.ingest.BatchIntake;
import dev.sluice.server.ingest.IngestProperties;
import dev.sluice.server.ingest.UploadSlots;
import dev.sluice.server.ingest.UrlSigner;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.job.Operation;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.verify.ResultFiles;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Batches of a job: a batch-file with a signed upload URL, a multipart upload, inline records; their
 * status, and the link to their result.
 */
@RestController
@RequestMapping("/api/v1/jobs/{jobId}")
class BatchesController {

    private final JobService jobs;
    private final BatchIntake intake;
    private final UrlSigner signer;
    private final PublicUrls links;
    private final IngestProperties properties;
    private final Clock clock;
    private final UploadSlots uploads;
    private final ResultFiles files;
    private final NextRetries nextRetries;

    BatchesController(JobService jobs, BatchIntake intake, UrlSigner signer, PublicUrls links, IngestProperties properties,
            Clock clock, UploadSlots uploads, ResultFiles files, NextRetries nextRetries) {
        this.uploads = uploads;
        this.files = files;
        this.nextRetries = nextRetries;
        this.jobs = jobs;
        this.intake = intake;
        this.signer = signer;
        this.links = links;
        this.properties = properties;
        this.clock = clock;
    }

    /** A batch waiting for a PUT to its signed {@code upload_url}. Any JSON body is accepted and ignored. */
    @PostMapping(path = "/batch-files", consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE})
    @ResponseStatus(HttpStatus.CREATED)
    BatchView createBatchFile(Caller caller, @PathVariable String jobId) {
        BatchIntake.UploadTicket ticket = intake.createForUpload(caller, job(caller, jobId));
        return BatchView.of(ticket.batch(), links.absolute(ticket.uploadUrl()));
    }

    /** A batch whose file comes in this request, as the multipart field {@code file}. */
    @PostMapping(path = "/batch-files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = FilePart.class)))
    BatchView uploadBatchFile(Caller caller, @PathVariable String jobId, HttpServletRequest request)
            throws IOException {
        Job job = job(caller, jobId);
        // the parts are read only now: the key is good, the job is the caller's and the account has a slot
        try (UploadSlots.Slot slot = uploads.take(caller.accountId())) {
            Batch batch = MultipartFileStream.read(request, "file",
                    (fileName, content) -> intake.uploadNow(caller, job, fileName, content, -1));
            return BatchView.of(batch, null);
        }
    }

    /** The multipart body of {@link #uploadBatchFile}, for the OpenAPI document (the handler reads the part itself). */
    record FilePart(@Schema(type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED) String file) {
    }

    /** A batch of inline records: {@code {"records": [{"email": "..."}, ...]}} or {@code ["a@b.c", ...]}. */
    @PostMapping(path = "/batches")
    @ResponseStatus(HttpStatus.CREATED)
    BatchView inline(Caller caller, @PathVariable String jobId, HttpServletRequest request) throws IOException {
        Job job = job(caller, jobId);
        long max = properties.maxInlineSize().toBytes();
        if (request.getContentLengthLong() > max) {
            throw new ProblemException(Problem.PAYLOAD_TOO_LARGE,
                    "inline batches take at most " + max + " bytes; upload a batch-file for more");
        }
        try (InputStream in = request.getInputStream()) {
            return BatchView.of(intake.inline(caller, job, in, false, shape -> {
                if (!shape.records()) {
                    throw new ProblemException(Problem.INVALID_REQUEST, "the body must be {\"records\": [...]} with"
                            + " objects or email strings, or a JSON array of them");
                }
            }), null);
        }
    }

    @GetMapping("/batches/{batchId}")
    BatchView batch(Caller caller, @PathVariable String jobId, @PathVariable String batchId) {
        Batch batch = batchOf(caller, jobId, batchId);
        // an expired link is not handed out again: POST .../upload-url issues a fresh one
        String uploadUrl = BatchIntake.uploadLinkValid(batch, clock.instant())
                ? links.absolute(intake.uploadUrl(batch)) : null;
        return BatchView.of(batch, uploadUrl, nextRetries.of(batch));
    }

    /** A fresh upload link for a batch-file still waiting for its file (409 otherwise). */
    @PostMapping(path = "/batch-files/{batchId}/upload-url", consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.ALL_VALUE})
    BatchView renewUploadLink(Caller caller, @PathVariable String jobId, @PathVariable String batchId) {
        BatchIntake.UploadTicket ticket = intake.renewUploadLink(batchOf(caller, jobId, batchId));
        return BatchView.of(ticket.batch(), links.absolute(ticket.uploadUrl()));
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "A signed link to a completed batch's result, whole or filtered",
            description = """
            Without parameters the link downloads the whole result. With `status` (statuses separated by \
            commas: valid, invalid, accept_all, unknown) and/or `safe_to_send` (true or false), it downloads a \
            copy holding only those rows, in the result's order and format, input columns and CSV header kept. \
            The copy is made on the first request for a filter and reused; it is deleted with the result. \
            Verify jobs only. `records` counts the rows the file holds.""")
    @ApiResponse(responseCode = "200", description = "the link")
    @ApiResponse(responseCode = "400", description = "a status or safe_to_send value that is not one; a filter "
            + "on a job that is not a verify job; safe_to_send on a result without that column")
    @ApiResponse(responseCode = "409", description = "the batch is not completed")
    @ApiResponse(responseCode = "410", description = "the result expired and was purged")
    @GetMapping("/batches/{batchId}/result")
    ResultView result(@Parameter(hidden = true) Caller caller, @PathVariable String jobId,
            @PathVariable String batchId,
            @Parameter(description = "keep only these statuses, e.g. valid,accept_all")
            @RequestParam(required = false) String status,
            @Parameter(name = "safe_to_send", description = "keep only rows whose sluice_safe_to_send is this")
            @RequestParam(name = "safe_to_send", required = false) String safeToSend) throws IOException {
        Optional<ResultFilter> filter;
        try {
            filter = ResultFilter.parse(status, safeToSend);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, e.getMessage());
        }
        Job job = job(caller, jobId);
        if (filter.isPresent() && job.operation() != Operation.VERIFY) {
            throw new ProblemException(Problem.INVALID_REQUEST, "only the results of verify jobs can be filtered; "
                    + "job " + jobId + " is an " + job.operation().wire() + " job");
        }
        Batch batch = batchOf(caller, jobId, batchId);
        if (batch.status() != BatchStatus.COMPLETED) {
            throw new ProblemException(Problem.CONFLICT, "batch " + batchId + " is " + batch.status().wire()
                    + "; its result is ready once it is completed");
        }
        Instant now = clock.instant();
        if (batch.resultExpiresAt() != null && now.isAfter(batch.resultExpiresAt())) {
            throw new ProblemException(Problem.GONE, "the result of batch " + batchId + " expired at "
                    + batch.resultExpiresAt() + " and was purged");
        }
        Instant expires = now.plus(properties.downloadUrlTtl());
        if (batch.resultExpiresAt() != null && expires.isAfter(batch.resultExpiresAt())) {
            expires = batch.resultExpiresAt();
        }
        if (filter.isEmpty()) {
            UrlSigner.Signed link = signer.sign("GET", TransfersController.downloadPath(batch), expires);
            return new ResultView(links.absolute(link), link.expiresAt(), batch.resultFormat().wire(),
                    batch.records().processed());
        }
        ResultFiles.Filtered filtered;
        try {
            filtered = files.filtered(batch, filter.get());
        } catch (MissingColumnException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, "this result has no "
                    + e.column().replaceFirst("^sluice_", "") + " column");
        }
        UrlSigner.Signed link = signer.sign("GET",
                TransfersController.filteredDownloadPath(batch, filter.get().key()), expires);
        return new ResultView(links.absolute(link), link.expiresAt(), batch.resultFormat().wire(), filtered.rows());
    }

    private Job job(Caller caller, String jobId) {
        return jobs.find(caller, jobId).orElseThrow(() -> ProblemException.notFound("job", jobId));
    }

    private Batch batchOf(Caller caller, String jobId, String batchId) {
        return jobs.batch(caller, jobId, batchId).orElseThrow(() -> ProblemException.notFound("batch", batchId));
    }
}
