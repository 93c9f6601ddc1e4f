package dev.sluice.server.compat.export;

import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.Caller;
import dev.sluice.server.config.NodeProperties;
import dev.sluice.server.door.JsonBodies;
import dev.sluice.server.door.PublicUrls;
import dev.sluice.server.drop.DropKeys;
import dev.sluice.server.drop.DropServer;
import dev.sluice.server.job.Batch;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The two calls of the seed's flow: submit an export request, inquire its status. The body is read as
 * JSON whatever its {@code Content-Type} (a bare {@code curl -d} sends a form type). Answers are ordered
 * maps, so their keys are exactly the documented ones.
 */
@RestController
@RequestMapping(path = "/bulk-async/exports")
class BulkExportController {

    static final String API_KEY_HEADER = "x-api-key";
    private static final String BEARER = "Bearer ";

    /** A request is a dataset name, some column names and a filter: far below this. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final BulkExports exports;
    private final AccountService accounts;
    private final NodeProperties node;
    private final DropServer drop;
    private final JsonBodies bodies;
    private final PublicUrls urls;

    BulkExportController(BulkExports exports, AccountService accounts, NodeProperties node, DropServer drop,
            JsonBodies bodies, PublicUrls urls) {
        this.exports = exports;
        this.accounts = accounts;
        this.node = node;
        this.drop = drop;
        this.bodies = bodies;
        this.urls = urls;
    }

    /** {@code {"dataset", "fields"?, "filter"?}} → 202 with the request id, {@code Queued}, and where the file will be. */
    @PostMapping
    ResponseEntity<Map<String, Object>> submit(HttpServletRequest request) throws IOException {
        Caller caller = caller(request);
        if (!drop.enabled()) {
            throw new BulkExportException(BulkExportError.SERVICE_UNAVAILABLE, "the SFTP drop is disabled on this "
                    + "server, so an export could not be picked up; an operator can enable it with "
                    + "sluice.drop.enabled=true");
        }
        ExportRequest parsed = ExportRequest.of(body(request));
        return json(HttpStatus.ACCEPTED, answer(exports.submit(caller, parsed)));
    }

    /** The request's status; once {@code Complete}, until when the file stays in the drop. */
    @GetMapping("/{requestId}")
    ResponseEntity<Map<String, Object>> inquire(HttpServletRequest request, @PathVariable String requestId) throws IOException {
        Caller caller = caller(request);
        return json(HttpStatus.OK, answer(exports.find(caller, requestId).orElseThrow(() -> new BulkExportException(
                BulkExportError.NOT_FOUND, "no export request '" + requestId + "' for this API key"))));
    }

    /** Always JSON, whatever {@code Accept} says: there is no other representation to offer. */
    private static ResponseEntity<Map<String, Object>> json(HttpStatus status, Map<String, Object> body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private Map<String, Object> answer(BulkExports.Export export) {
        Batch batch = export.batch();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request_id", export.job().id());
        answer.put("status", export.status().wire());
        answer.put("dataset", export.dataset());
        answer.put("file_name", export.fileName());
        answer.put("location", "sftp://" + export.job().accountId() + "@" + host() + ":" + drop.port() + "/"
                + DropKeys.EXPORTS + "/" + export.fileName());
        answer.put("submitted_at", time(export.job().createdAt()));
        switch (export.status()) {
            case COMPLETE -> {
                answer.put("completed_at", time(batch.completedAt()));
                answer.put("records", batch.records().completed());
                answer.put("available_until", time(batch.resultExpiresAt()));
                if (export.expired()) {
                    answer.put("message", "the file's time in the SFTP drop ended at " + time(batch.resultExpiresAt())
                            + " and it was deleted; submit the export again for a fresh file");
                }
            }
            case ERROR -> answer.put("message", batch.errorMessage() != null ? batch.errorMessage()
                    : "the export was " + batch.status().wire() + " before its file was written");
            case QUEUED, IN_PROCESS -> {
                // nothing more to say until it is done
            }
        }
        return answer;
    }

    /** The account of the key in {@code x-api-key} (or {@code Authorization: Bearer}); 401 without a valid one. */
    private Caller caller(HttpServletRequest request) {
        if (!node.api()) {
            throw new BulkExportException(BulkExportError.SERVICE_UNAVAILABLE, "this node runs with the worker role "
                    + "only; send API requests to a node with the api role");
        }
        String key = request.getHeader(API_KEY_HEADER);
        String authorization = request.getHeader("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            key = authorization.substring(BEARER.length());
        }
        if (key == null || key.isBlank()) {
            throw new BulkExportException(BulkExportError.UNAUTHORIZED, "no API key: send it in the x-api-key header");
        }
        return accounts.authenticate(key.strip()).orElseThrow(() -> new BulkExportException(
                BulkExportError.UNAUTHORIZED, "the API key in x-api-key is not valid"));
    }

    private Object body(HttpServletRequest request) throws IOException {
        return bodies.read(request, MAX_BODY_BYTES, "an export request takes at most " + MAX_BODY_BYTES
                + " bytes; name fewer fields or filter on fewer columns").orElse(null);
    }

    /** The host an SFTP client reaches: the public URL's, else the one this request was sent to. */
    private String host() {
        return urls.host();
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
