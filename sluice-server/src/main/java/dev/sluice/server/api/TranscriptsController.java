package dev.sluice.server.api;

import dev.sluice.server.account.Caller;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.verify.Transcript;
import dev.sluice.server.verify.TranscriptReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SMTP transcript behind one address's verdict in a batch of a verify job created with
 * {@code "transcripts": true}: why the address got its verdict, as the mail server said it.
 */
@RestController
@RequestMapping("/api/v1/jobs/{jobId}/batches/{batchId}/transcripts")
class TranscriptsController {

    private final JobService jobs;
    private final TranscriptReader transcripts;
    private final Clock clock;

    TranscriptsController(JobService jobs, TranscriptReader transcripts, Clock clock) {
        this.jobs = jobs;
        this.transcripts = transcripts;
        this.clock = clock;
    }

    @Operation(summary = "The SMTP transcript behind one address's verdict", description = """
            For a verify job created with "options": {"transcripts": true}: the address's verdict (status, \
            reason), where it came from (source smtp, cache, or none when syntax, lists or DNS decided), the \
            SMTP connections behind it (MX host and address, the SOCKS5 proxy as host:port, a failure if the \
            connection ended without QUIT) and their lines: each command sent and reply line received, with \
            at_ms, the milliseconds since that connection was opened. The domain's catch-all probe is shown; \
            other addresses that shared the connection are left out (other_recipients counts them). \
            Transcripts are deleted with the batch's results when its retention ends, and with the job.""")
    @ApiResponse(responseCode = "200", description = "the transcript")
    @ApiResponse(responseCode = "400", description = "the email parameter is missing or blank")
    @ApiResponse(responseCode = "401", description = "no key or an unknown key")
    @ApiResponse(responseCode = "404", description = "no such job or batch in the caller's account, the job was "
            + "created without the transcripts option, or the batch holds no such address (yet)")
    @ApiResponse(responseCode = "410", description = "the batch's retention ended and its transcripts were purged")
    @GetMapping
    Transcript transcript(@Parameter(hidden = true) Caller caller, @PathVariable String jobId,
            @PathVariable String batchId,
            @Parameter(description = "the address, as in the batch (or normalised; case is ignored)")
            @RequestParam(required = false) String email) {
        if (email == null || email.isBlank()) {
            throw new ProblemException(Problem.INVALID_REQUEST,
                    "the query parameter 'email' is required: the address whose transcript you want");
        }
        Job job = jobs.find(caller, jobId).orElseThrow(() -> ProblemException.notFound("job", jobId));
        Batch batch = jobs.batch(caller, jobId, batchId).orElseThrow(() -> ProblemException.notFound("batch", batchId));
        if (!transcripts.keeps(job)) {
            throw new ProblemException(Problem.NOT_FOUND, "job " + jobId + " keeps no transcripts: create a verify "
                    + "job with \"options\": {\"transcripts\": true} to keep them");
        }
        if (batch.resultExpiresAt() != null && clock.instant().isAfter(batch.resultExpiresAt())) {
            throw new ProblemException(Problem.GONE, "the transcripts of batch " + batchId + " expired at "
                    + batch.resultExpiresAt() + " and were purged");
        }
        return transcripts.find(job, batch, email).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND,
                "batch " + batchId + " has no transcript for that address: it is not in the batch, or its chunk "
                        + "has not been verified yet"));
    }
}
