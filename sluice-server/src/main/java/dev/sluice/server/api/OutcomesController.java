package dev.sluice.server.api;

import dev.sluice.server.account.Caller;
import dev.sluice.server.api.Views.Page;
import dev.sluice.server.dataset.imports.Outcome;
import dev.sluice.server.dataset.imports.OutcomeStore;
import dev.sluice.server.dataset.imports.RecordOutcome;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.JobService;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import java.time.Clock;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-record outcomes of a dataset operation's batch ({@code completed}, {@code failed} with its error,
 * {@code ignored}) by 0-based index, in pages; written when the batch completes.
 */
@RestController
@RequestMapping("/api/v1/jobs/{jobId}/batches/{batchId}/outcomes")
class OutcomesController {

    /** Outcomes per page when the request names no limit. */
    static final int DEFAULT_PAGE = 100;
    /** Most outcomes per page. */
    static final int MAX_PAGE = 1_000;

    /** One record's outcome as the API shows it; {@code error} only for failed records. */
    record OutcomeView(long index, String outcome, String error) {
        static OutcomeView of(RecordOutcome o) {
            return new OutcomeView(o.index(), o.outcome().wire(), o.error());
        }
    }

    private final JobService jobs;
    private final OutcomeStore outcomes;
    private final Clock clock;

    OutcomesController(JobService jobs, OutcomeStore outcomes, Clock clock) {
        this.clock = clock;
        this.jobs = jobs;
        this.outcomes = outcomes;
    }

    /** Outcomes after index {@code cursor}, in index order, optionally only one kind. */
    @GetMapping
    Page<OutcomeView> outcomes(Caller caller, @PathVariable String jobId, @PathVariable String batchId,
            @RequestParam(required = false) String outcome, @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        Batch batch = jobs.batch(caller, jobId, batchId).orElseThrow(() -> ProblemException.notFound("batch", batchId));
        if (batch.resultExpiresAt() != null && clock.instant().isAfter(batch.resultExpiresAt())) {
            throw new ProblemException(Problem.GONE, "the outcomes of batch " + batchId + " expired at "
                    + batch.resultExpiresAt() + " and were purged");
        }
        Outcome kind;
        try {
            kind = outcome == null || outcome.isBlank() ? null : Outcome.fromWire(outcome);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, e.getMessage());
        }
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw new ProblemException(Problem.INVALID_REQUEST, "'limit' must be an integer from 1 to " + MAX_PAGE);
        }
        long after;
        try {
            after = cursor == null || cursor.isBlank() ? -1 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new ProblemException(Problem.INVALID_REQUEST, "the cursor '" + cursor + "' is not one this API gave");
        }
        List<RecordOutcome> page = outcomes.page(batch.id(), kind, after, size);
        String next = page.size() == size ? String.valueOf(page.getLast().index()) : null;
        return new Page<>(page.stream().map(OutcomeView::of).toList(), next);
    }
}
