package dev.sluice.server.api;

import dev.sluice.core.result.ResultReport;
import dev.sluice.server.account.Caller;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.job.Operation;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.verify.ResultFiles;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The report of a verify job: its completed batches' results counted by status, reason and provider, with the
 * most frequent domains, for the whole job and per batch. The counts are made once, when a batch's result is
 * assembled; this only reads them (and counts a result assembled before reports existed, once).
 */
@RestController
@RequestMapping("/api/v1/jobs/{jobId}")
class ReportsController {

    private final JobService jobs;
    private final ResultFiles files;

    ReportsController(JobService jobs, ResultFiles files) {
        this.jobs = jobs;
        this.files = files;
    }

    /** One domain and its rows, most frequent first. */
    record DomainCount(String domain, long records) {
    }

    /**
     * Counts of one result or of several added up.
     *
     * @param statuses  rows per status, all four always present
     * @param reasons   rows per reason, most first
     * @param providers rows per provider, most first; empty when the results name no provider
     */
    record Counts(long records, Map<String, Long> statuses, Map<String, Long> reasons, Map<String, Long> providers,
            List<DomainCount> topDomains) {

        static Counts of(ResultReport report) {
            ResultReport top = report.topDomains(ResultFiles.TOP_DOMAINS);
            return new Counts(top.records(), top.statuses(), top.reasons(), top.providers(),
                    top.domains().entrySet().stream().map(e -> new DomainCount(e.getKey(), e.getValue())).toList());
        }
    }

    /** One batch's counts. */
    record BatchReport(String batchId, String fileName, Counts counts) {
    }

    /**
     * @param batches    the completed batches whose results were counted, in the job's order
     * @param total      the counts of those batches added up; its top domains are summed from each batch's 200
     *                   most frequent ones
     * @param uncounted  batches not (or no longer) counted: not completed yet, or their result expired before
     *                   it was ever counted
     */
    record JobReport(String jobId, Counts total, List<BatchReport> batches, int uncounted) {
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Counts of a verify job's results", description = """
            Rows by status, by reason, by provider (when the results have a sluice_provider column) and the 20 \
            most frequent domains, for the whole job and for each completed batch. A batch's statuses add up to \
            its valid, invalid, accept_all and unknown counters.""")
    @ApiResponse(responseCode = "200", description = "the report")
    @ApiResponse(responseCode = "400", description = "the job is not a verify job")
    @ApiResponse(responseCode = "404", description = "no such job in the caller's account")
    @GetMapping("/report")
    JobReport report(@Parameter(hidden = true) Caller caller, @PathVariable String jobId) throws IOException {
        Job job = jobs.find(caller, jobId).orElseThrow(() -> ProblemException.notFound("job", jobId));
        if (job.operation() != Operation.VERIFY) {
            throw new ProblemException(Problem.INVALID_REQUEST, "reports count verify results; job " + jobId
                    + " is an " + job.operation().wire() + " job");
        }
        List<ResultReport> counted = new ArrayList<>();
        List<BatchReport> batches = new ArrayList<>();
        int uncounted = 0;
        for (Batch batch : jobs.batches(job)) {
            Optional<ResultReport> report = batch.status() == BatchStatus.COMPLETED ? files.report(batch)
                    : Optional.empty();
            if (report.isEmpty()) {
                uncounted++;
                continue;
            }
            counted.add(report.get());
            batches.add(new BatchReport(batch.id(), batch.fileName(), Counts.of(report.get())));
        }
        return new JobReport(job.id(), Counts.of(ResultFiles.sum(counted)), batches, uncounted);
    }
}
