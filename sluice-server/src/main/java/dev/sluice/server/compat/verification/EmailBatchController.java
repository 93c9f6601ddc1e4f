package dev.sluice.server.compat.verification;

import dev.sluice.server.account.Caller;
import dev.sluice.server.ingest.UploadSlots;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.RecordCounts;
import dev.sluice.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.support.StandardMultipartHttpServletRequest;

/**
 * The seed's four calls. Answers are built as ordered maps so the keys are the seed's exactly
 * ({@code Status} with a capital S, {@code estm_total_trans}...), untouched by the native snake_case naming.
 */
@RestController
class EmailBatchController {

    static final String PATH = "/email/batch";
    private static final String OK = "OK";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final EmailBatchService service;
    private final UploadSlots uploads;

    EmailBatchController(EmailBatchService service, UploadSlots uploads) {
        this.service = service;
        this.uploads = uploads;
    }

    /** 1) Upload the file (multipart field {@code email}) and create the batch task. */
    @PostMapping(path = PATH)
    ResponseEntity<Map<String, Object>> submit(@RequestParam(name = "lqtkey", required = false) String lqtkey,
            HttpServletRequest request) throws IOException {
        Caller caller = service.caller(lqtkey);
        // the parts are read only now, once the key is known to be good and the account has an upload slot
        boolean multipart = request.getContentType() != null
                && request.getContentType().toLowerCase(Locale.ROOT).startsWith("multipart/");
        UploadSlots.Slot slot;
        try {
            slot = multipart ? uploads.take(caller.accountId()) : null;
        } catch (ProblemException e) {
            throw EmailBatchService.translate(e);
        }
        try (slot) {
            return submit(caller, multipart ? new StandardMultipartHttpServletRequest(request).getFile("email") : null);
        }
    }

    private ResponseEntity<Map<String, Object>> submit(Caller caller, MultipartFile email) throws IOException {
        if (email == null || email.isEmpty() && email.getOriginalFilename() == null) {
            throw new EmailBatchException(EmailBatchError.MISSING_FILE,
                    "no file: send it as multipart/form-data in the file field named 'email'");
        }
        EmailBatchService.Task task;
        try {
            task = service.submit(caller, email.getOriginalFilename(), email.getSize(), email::getInputStream);
        } catch (ProblemException e) {
            throw EmailBatchService.translate(e);
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("job_id", task.job().jobId());
        item.put("submitted_file", task.job().submittedFile());
        item.put("estm_total_trans", task.job().estmTotalTrans());
        item.put("start_time", time(task.job().createdAt()));
        return envelope("email_batch", List.of(item));
    }

    /** 2) Every batch task of the key's account, newest first. */
    @GetMapping(path = PATH)
    ResponseEntity<Map<String, Object>> list(@RequestParam(name = "lqtkey", required = false) String lqtkey) {
        Caller caller = service.caller(lqtkey);
        List<Map<String, Object>> result = service.list(caller).stream().map(task -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("job_id", task.job().jobId());
            item.put("status", task.status().wire());
            item.put("progress", progress(task));
            return item;
        }).toList();
        return envelope("batch_jobs", Map.of("result", result));
    }

    /** 3) One batch task: the pre-download shape, or once downloaded the post-download shape. */
    @GetMapping(path = PATH + "/{jobId}", params = "!download")
    ResponseEntity<Map<String, Object>> status(@RequestParam(name = "lqtkey", required = false) String lqtkey,
            @PathVariable String jobId) {
        return envelope("batch_status", statusOf(service.find(service.caller(lqtkey), jobId.strip())));
    }

    /** 4) The processed file, {@code <job_id>_verified.csv}; the first download moves the task to downloaded. */
    @GetMapping(path = PATH + "/{jobId}", params = "download")
    void download(@RequestParam(name = "lqtkey", required = false) String lqtkey, @PathVariable String jobId,
            HttpServletResponse response) throws IOException {
        Caller caller = service.caller(lqtkey);
        EmailBatchService.Task task = service.download(caller, jobId.strip());
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename(task.job().jobId() + "_verified.csv").build().toString());
        try (OutputStream out = response.getOutputStream()) {
            service.writeVerified(task, out);
        }
    }

    private Map<String, Object> statusOf(EmailBatchService.Task task) {
        Batch batch = task.batch();
        EmailBatchStatus status = task.status();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("job_id", task.job().jobId());
        view.put("submitted_file", task.job().submittedFile());
        view.put("start_time", time(task.job().createdAt()));
        view.put("finish_time", batch.completedAt() == null ? null : time(batch.completedAt()));
        view.put("progress", progress(task));
        view.put("status", status.wire());
        if (status != EmailBatchStatus.DOWNLOADED) {
            view.put("estm_total_trans", task.job().estmTotalTrans());
            view.put("estm_credit_cost", service.cost(task.job().estmTotalTrans()));
        } else {
            RecordCounts records = batch.records();
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("total_trans", records.total());
            stats.put("valid", records.valid());
            stats.put("invalid", records.invalid());
            stats.put("accept_all", records.acceptAll());
            stats.put("unknown", records.unknown());
            view.put("stats", stats);
            view.put("total_records", records.total());
            view.put("credit_cost", task.job().creditCost());
        }
        return view;
    }

    /** Whole percent, floored, so {@code 100%} only once the file is ready. */
    private static String progress(EmailBatchService.Task task) {
        return switch (task.status()) {
            case COMPLETE, DOWNLOADED -> "100%";
            case PENDING, LOADING -> "0%";
            case VERIFYING, FILE_ERROR -> (int) Math.min(99, Math.floor(task.batch().records().progress())) + "%";
        };
    }

    /** Always JSON, whatever {@code Accept} says: there is no other representation to offer. */
    private static ResponseEntity<Map<String, Object>> envelope(String name, Object body) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("Status", OK);
        envelope.put(name, body);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(envelope);
    }

    private static String time(Instant instant) {
        return TIME.format(instant);
    }
}
