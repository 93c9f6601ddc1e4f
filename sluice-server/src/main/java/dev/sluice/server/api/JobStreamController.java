package dev.sluice.server.api;

import dev.sluice.server.account.Caller;
import dev.sluice.server.job.JobService;
import dev.sluice.server.problem.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A job's progress as it happens: server-sent events, for the web console and any other client. */
@RestController
@RequestMapping("/api/v1/jobs")
class JobStreamController {

    private final JobService jobs;
    private final JobStreams streams;

    JobStreamController(JobService jobs, JobStreams streams) {
        this.jobs = jobs;
        this.streams = streams;
    }

    @Operation(summary = "Live progress of a job (server-sent events)", description = """
            Streams `text/event-stream` events while the job runs. `job`: the job as GET /api/v1/jobs/{id} \
            shows it, sent first and then whenever it changes. `batch`: one batch as GET \
            /api/v1/jobs/{id}/batches/{batch} shows it, whenever it changes. `log`: each new entry of the \
            job's event log, oldest first, its id as the event id. `end`: {"reason": "final"} once the job is \
            completed or cancelled ({"reason": "deleted"} if it was deleted), after which the server closes \
            the stream. A job waiting for uploads keeps its stream open until the server's stream timeout \
            (30 minutes by default); reconnect to go on. Send the key in x-api-key (or Authorization: \
            Bearer): read the stream with fetch(), since EventSource cannot send headers. Each node serves \
            a bounded number of streams; beyond it the answer is 429 too_many_streams.""")
    @ApiResponse(responseCode = "200", description = "the event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "401", description = "no key or an unknown key")
    @ApiResponse(responseCode = "404", description = "no such job in the caller's account")
    @ApiResponse(responseCode = "429", description = "this node serves its limit of open streams")
    @GetMapping(path = "/{jobId}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@Parameter(hidden = true) Caller caller, @PathVariable String jobId) {
        return streams.open(caller, jobs.find(caller, jobId).orElseThrow(() -> ProblemException.notFound("job", jobId)));
    }
}
