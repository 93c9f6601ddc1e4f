package dev.sluice.server.compat.refdata;

import dev.sluice.core.dataset.Column;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetService;
import dev.sluice.server.delivery.NotificationUrls;
import dev.sluice.server.door.JsonBodies;
import dev.sluice.server.door.PublicUrls;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The seed's four calls: a dataset's schema, a file import answered 202 with its ticket, the ticket, and
 * the async result. Every call needs {@code Api-User} and {@code Api-Key} ({@link ApiCredentials}).
 */
@RestController
class RefDataController {

    /** Largest file-import payload read; the file itself is fetched from {@code source.uri}. */
    static final int MAX_PAYLOAD_BYTES = 1 << 20;

    private final ApiCredentials credentials;
    private final DatasetService datasets;
    private final Tickets tickets;
    private final NotificationUrls notificationUrls;
    private final JsonBodies bodies;
    private final PublicUrls urls;
    private final Clock clock;

    RefDataController(ApiCredentials credentials, DatasetService datasets, Tickets tickets,
            NotificationUrls notificationUrls, JsonBodies bodies, PublicUrls urls, Clock clock) {
        this.credentials = credentials;
        this.datasets = datasets;
        this.tickets = tickets;
        this.notificationUrls = notificationUrls;
        this.bodies = bodies;
        this.urls = urls;
        this.clock = clock;
    }

    /**
     * {@code GET /v2/reference-data/{dataset}?view=schema}: the columns a file import can fill, with their
     * types, whether a value is required, and which columns are the key.
     */
    @GetMapping("/v2/reference-data/{dataset}")
    Map<String, Object> schema(HttpServletRequest request, @PathVariable String dataset,
            @RequestParam(required = false) String view) {
        ApiCredentials.Authenticated who = credentials.authenticate(request);
        if (view != null && !view.equals("schema")) {
            throw RefDataException.badRequest("view '" + view + "' is not supported; use view=schema");
        }
        Dataset found = dataset(who, dataset, 404);
        List<String> key = found.schema().key();
        List<Map<String, Object>> columns = found.schema().columns().stream().map(column -> column(column, key))
                .toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", found.name());
        answer.put("columns", columns);
        answer.put("key", key);
        return answer;
    }

    /**
     * {@code POST /v2/reference-data/{dataset}/records/file-import?responseUri=&responseRef=}: 202 with the
     * ticket, and {@code Content-Location} naming it.
     */
    @PostMapping("/v2/reference-data/{dataset}/records/file-import")
    ResponseEntity<Map<String, Object>> fileImport(HttpServletRequest request, @PathVariable String dataset,
            @RequestParam(required = false) String responseUri, @RequestParam(required = false) String responseRef)
            throws IOException {
        ApiCredentials.Authenticated who = credentials.authenticate(request);
        Object payload = payload(request);
        dataset(who, dataset, 400);
        FileImportRequest parsed = FileImportRequest.parse(dataset, payload);
        String callback = responseUri(responseUri);
        String base = urls.requestBase();
        Tickets.Submission submission = new Tickets.Submission(who.user(),
                ServletUriComponentsBuilder.fromCurrentRequestUri().toUriString(), base, callback,
                responseRef == null || responseRef.isBlank() ? null : responseRef);
        TicketStore.Ticket ticket;
        try {
            ticket = tickets.create(who.caller(), dataset, parsed, submission);
        } catch (ProblemException e) {
            // the import's own checks (a mapping naming no column of the dataset) are the request's fault
            throw e.problem() == Problem.INVALID_REQUEST ? RefDataException.badRequest(e.getMessage()) : e;
        }
        return ResponseEntity.accepted().header(HttpHeaders.CONTENT_LOCATION, tickets.ticketUrl(ticket))
                .contentType(MediaType.APPLICATION_JSON).body(tickets.view(who.caller(), ticket));
    }

    /** {@code GET /v2/tickets/{id}}: the ticket's state, its events, the request and where the result is. */
    @GetMapping("/v2/tickets/{id}")
    Map<String, Object> ticket(HttpServletRequest request, @PathVariable String id) {
        ApiCredentials.Authenticated who = credentials.authenticate(request);
        TicketStore.Ticket ticket = tickets.find(who.caller(), id)
                .orElseThrow(() -> RefDataException.notFound("no ticket '" + id + "' for this Api-User"));
        return tickets.view(who.caller(), ticket);
    }

    /**
     * {@code GET /v2/async-results/{id}}: counts and the per-record index lists of a completed import;
     * 404 while the ticket is not completed (its {@code response.location} appears when it is), 410 once
     * the results were deleted at the end of their retention.
     */
    @GetMapping("/v2/async-results/{id}")
    void asyncResult(HttpServletRequest request, HttpServletResponse response, @PathVariable String id)
            throws IOException {
        ApiCredentials.Authenticated who = credentials.authenticate(request);
        TicketStore.Ticket ticket = tickets.findByResult(who.caller(), id)
                .orElseThrow(() -> RefDataException.notFound("no async result '" + id + "' for this Api-User"));
        Batch batch = tickets.batch(who.caller(), ticket);
        if (batch.status() != BatchStatus.COMPLETED) {
            throw RefDataException.notFound("the async result '" + id + "' does not exist: ticket "
                    + ticket.ticketId() + " is " + TicketState.of(batch.status()).wire()
                    + (batch.status().isFinal() ? "" : "; ask again once the ticket is completed"));
        }
        if (batch.resultExpiresAt() != null && clock.instant().isAfter(batch.resultExpiresAt())) {
            throw new RefDataException(410, "the async result '" + id + "' was deleted at "
                    + Tickets.time(batch.resultExpiresAt()) + " when its retention ended; the ticket keeps the counts");
        }
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        tickets.writeResult(ticket, batch, response.getOutputStream());
    }

    private Dataset dataset(ApiCredentials.Authenticated who, String name, int missing) {
        try {
            return datasets.get(who.caller(), name);
        } catch (ProblemException e) {
            if (e.problem() == Problem.NOT_FOUND) {
                throw new RefDataException(missing, "there is no reference data '" + name + "' for this Api-User");
            }
            throw e;
        }
    }

    private static Map<String, Object> column(Column column, List<String> key) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("name", column.name());
        answer.put("type", column.type().wire());
        answer.put("required", column.required() || key.contains(column.name()));
        answer.put("key", key.contains(column.name()));
        return answer;
    }

    /** Reads the payload as JSON, refusing what is not (400) or too large (413). */
    private Object payload(HttpServletRequest request) throws IOException {
        return bodies.read(request, MAX_PAYLOAD_BYTES, "the request payload is larger than " + MAX_PAYLOAD_BYTES
                + " bytes; the file itself goes in source.uri, not in the payload").orElseThrow(() ->
                        RefDataException.badRequest("the request payload is empty; send {\"source\": {\"uri\": ...}, ...}"));
    }

    /** The callback URL, by the one notification URL rule ({@link NotificationUrls}). */
    private String responseUri(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String address = value.strip();
        notificationUrls.refusal(address).ifPresent(refusal -> {
            throw RefDataException.badRequest(switch (refusal.reason()) {
                case NOT_A_URI -> "responseUri '" + address + "' is not a URI";
                case PLAIN_HTTP -> "responseUri must be https; this server does not call plain http "
                        + "URIs (an operator can allow them with sluice.delivery.allow-http)";
                case NO_HOST, SCHEME -> "responseUri must be an absolute https URI, was '" + address + "'";
            });
        });
        return address;
    }
}
