package dev.sluice.server.compat.refdata;

import dev.sluice.core.result.ResultFormat;
import dev.sluice.server.account.Caller;
import dev.sluice.server.dataset.imports.Outcome;
import dev.sluice.server.dataset.imports.OutcomeStore;
import dev.sluice.server.dataset.imports.RecordOutcome;
import dev.sluice.server.delivery.NotificationPayload;
import dev.sluice.server.door.PublicUrls;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.Event;
import dev.sluice.server.job.EventType;
import dev.sluice.server.job.Job;
import dev.sluice.server.job.JobService;
import dev.sluice.server.job.Notification;
import dev.sluice.server.job.Operation;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.store.Ids;
import dev.sluice.server.store.UriPasswords;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tickets and async results: a file import becomes a native import job (the ticket, same id) whose one
 * fetched batch is the async result (same id); this class makes them and reads them back in the seed's
 * shape. It also gives the body of the {@code responseUri} callback, which the native notification outbox
 * sends: the ticket as it stands when the import finished.
 */
@Service
class Tickets implements NotificationPayload {

    /** Events and outcomes read per query. */
    static final int PAGE = 1_000;

    /** The method the seed's callback uses ("post the final status of the request"). */
    static final String CALLBACK_METHOD = "POST";

    private final JobService jobs;
    private final TicketStore store;
    private final OutcomeStore outcomes;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;
    private final PublicUrls urls;

    Tickets(JobService jobs, TicketStore store, OutcomeStore outcomes, TransactionTemplate tx, JsonMapper json,
            Clock clock, PublicUrls urls) {
        this.jobs = jobs;
        this.store = store;
        this.outcomes = outcomes;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.urls = urls;
    }

    /** What the caller sent along with the payload. */
    record Submission(String apiUser, String requestUri, String baseUrl, String responseUri, String responseRef) {
    }

    /**
     * Makes the import job, its fetched batch and the ticket row in one transaction, so a ticket exists
     * exactly when its job does and its callback cannot be rendered before the row is there.
     */
    TicketStore.Ticket create(Caller caller, String dataset, FileImportRequest request, Submission submission) {
        Notification notification = submission.responseUri() == null ? null
                : new Notification(submission.responseUri(), CALLBACK_METHOD);
        return tx.execute(status -> {
            Job job = jobs.create(caller, new JobService.NewJob("file-import " + dataset, Operation.IMPORT,
                    request.options(), ResultFormat.JSON, notification, null), null, null).job();
            Batch batch = jobs.batches(job).getFirst();
            TicketStore.Ticket ticket = new TicketStore.Ticket(job.id(), caller.accountId(), batch.id(), dataset,
                    Ids.next("req"), submission.apiUser(), submission.requestUri(), submission.baseUrl(),
                    // the ticket keeps the callback only to show it: masked; the job's notification keeps it sealed
                    UriPasswords.mask(submission.responseUri()), submission.responseRef(), clock.instant());
            store.insert(ticket);
            return ticket;
        });
    }

    Optional<TicketStore.Ticket> find(Caller caller, String ticketId) {
        return store.byTicket(caller.accountId(), ticketId);
    }

    Optional<TicketStore.Ticket> findByResult(Caller caller, String resultId) {
        return store.byBatch(caller.accountId(), resultId);
    }

    /** The batch behind a ticket (its job and batch are deleted together with the row, so it is there). */
    Batch batch(Caller caller, TicketStore.Ticket ticket) {
        return jobs.batch(caller, ticket.ticketId(), ticket.batchId()).orElseThrow(() ->
                RefDataException.notFound("no ticket '" + ticket.ticketId() + "' for this Api-User"));
    }

    /** The URL of a ticket, as {@code Content-Location} names it. */
    String ticketUrl(TicketStore.Ticket ticket) {
        return base(ticket) + "/v2/tickets/" + ticket.ticketId();
    }

    /** The URL of a ticket's async result. */
    String resultUrl(TicketStore.Ticket ticket) {
        return base(ticket) + "/v2/async-results/" + ticket.batchId();
    }

    private String base(TicketStore.Ticket ticket) {
        return urls.configured() != null ? urls.configured() : ticket.baseUrl();
    }

    @Override
    public Optional<Object> render(Job job, Batch batch) {
        if (job.operation() != Operation.IMPORT) {
            return Optional.empty();
        }
        return store.byTicket(job.id()).filter(t -> t.batchId().equals(batch.id()))
                .map(ticket -> view(ticket, job, batch));
    }

    /** The ticket in the seed's shape: {@code id, state, message, lastUpdate, events, request, response}. */
    Map<String, Object> view(Caller caller, TicketStore.Ticket ticket) {
        Job job = jobs.find(caller, ticket.ticketId()).orElseThrow(() ->
                RefDataException.notFound("no ticket '" + ticket.ticketId() + "' for this Api-User"));
        return view(ticket, job, batch(caller, ticket));
    }

    private Map<String, Object> view(TicketStore.Ticket ticket, Job job, Batch batch) {
        List<Map<String, Object>> events = events(ticket, job, batch);
        Map<String, Object> last = events.isEmpty() ? null : events.getLast();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", ticket.ticketId());
        answer.put("state", TicketState.of(batch.status()).wire());
        answer.put("message", last == null ? "" : last.get("message"));
        answer.put("lastUpdate", last == null ? time(ticket.createdAt()) : last.get("time"));
        answer.put("events", events);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", ticket.requestId());
        request.put("user", ticket.apiUser());
        request.put("time", time(ticket.createdAt()));
        request.put("uri", ticket.requestUri());
        answer.put("request", request);
        Map<String, Object> response = new LinkedHashMap<>();
        if (ticket.responseUri() != null) {
            response.put("uri", UriPasswords.mask(ticket.responseUri()));
        }
        if (ticket.responseRef() != null) {
            response.put("ref", ticket.responseRef());
        }
        if (batch.status() == BatchStatus.COMPLETED) {
            response.put("location", resultUrl(ticket));
        }
        answer.put("response", response);
        return answer;
    }

    /** The batch's log entries in the seed's words, oldest first. */
    private List<Map<String, Object>> events(TicketStore.Ticket ticket, Job job, Batch batch) {
        List<Map<String, Object>> answer = new ArrayList<>();
        boolean queuedBefore = false;
        long after = 0;
        while (true) {
            List<Event> page = jobs.events(job, after, PAGE);
            for (Event event : page) {
                if (event.batchId() != null && !event.batchId().equals(batch.id())) {
                    continue;
                }
                EventType type = EventType.valueOf(event.type().toUpperCase(Locale.ROOT));
                Optional<TicketState> state = TicketState.ofEvent(type, !queuedBefore);
                if (type == EventType.BATCH_QUEUED) {
                    queuedBefore = true;
                }
                if (state.isEmpty()) {
                    continue;
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("state", state.get().wire());
                entry.put("message", message(type, state.get(), event, ticket, batch));
                entry.put("time", time(event.at()));
                answer.add(entry);
            }
            if (page.size() < PAGE) {
                return answer;
            }
            after = page.getLast().id();
        }
    }

    /**
     * The seed's sentences where it has them; the native log's own words for progress and failures. The
     * native words of a fetch are not repeated: they would show the source URI, password included.
     */
    private static String message(EventType type, TicketState state, Event event, TicketStore.Ticket ticket,
            Batch batch) {
        return switch (type) {
            case BATCH_CREATED -> "File import to reference data " + ticket.dataset() + " created.";
            case BATCH_QUEUED -> state == TicketState.ACCEPTED
                    ? "File import to reference data " + ticket.dataset() + " accepted." : "File downloaded.";
            case BATCH_LOADED -> "File pre-parsed, importing " + batch.records().total() + " records.";
            case RECORDS_PROCESSED -> capitalized(event.message()) + ".";
            case BATCH_COMPLETED -> "File imported successfully.";
            case BATCH_CANCELLED -> "File import cancelled; nothing was imported.";
            case BATCH_MALFORMED, BATCH_FAILED -> "File import failed: " + event.message();
            case JOB_CREATED, JOB_CANCELLED -> event.message();
        };
    }

    /**
     * Writes the async result of a completed import: {@code id, lastUpdate, counts} and the
     * {@code completed}, {@code failed} and {@code ignored} index lists, streamed page by page so a file of
     * millions of records never sits in memory. Every record's {@code time} is the moment the import was
     * applied: the dataset changes all at once.
     */
    void writeResult(TicketStore.Ticket ticket, Batch batch, OutputStream out) throws IOException {
        RecordCounts records = batch.records();
        String time = time(batch.completedAt() != null ? batch.completedAt() : batch.updatedAt());
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("id", ticket.batchId());
            g.writeStringProperty("lastUpdate", time(batch.updatedAt()));
            g.writeName("counts");
            g.writeStartObject();
            g.writeNumberProperty("completed", records.completed());
            g.writeNumberProperty("failed", records.failed());
            g.writeNumberProperty("ignored", records.ignored());
            g.writeNumberProperty("total", records.completed() + records.failed() + records.ignored());
            g.writeNumberProperty("requested", records.total());
            g.writeEndObject();
            for (Outcome outcome : Outcome.values()) {
                g.writeName(outcome.wire());
                g.writeStartArray();
                long after = -1;
                while (true) {
                    List<RecordOutcome> page = outcomes.page(batch.id(), outcome, after, PAGE);
                    for (RecordOutcome record : page) {
                        g.writeStartObject();
                        g.writeNumberProperty("index", record.index());
                        if (outcome != Outcome.IGNORED) {
                            g.writeStringProperty("time", time);
                        }
                        if (outcome == Outcome.FAILED) {
                            g.writeName("error");
                            g.writeStartObject();
                            g.writeNumberProperty("status", 400);
                            g.writeStringProperty("message", record.error() == null ? "Invalid record." : record.error());
                            g.writeEndObject();
                        }
                        g.writeEndObject();
                    }
                    if (page.size() < PAGE) {
                        break;
                    }
                    after = page.getLast().index();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The seed's time format: ISO-8601 in UTC to the second, {@code 2014-03-03T17:33:52Z}. */
    static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
