package dev.sluice.server.api;

import dev.sluice.server.ingest.BatchIntake;
import dev.sluice.server.ingest.UploadSlots;
import dev.sluice.server.ingest.UrlSigner;
import dev.sluice.server.job.Batch;
import dev.sluice.server.job.BatchLifecycle;
import dev.sluice.server.job.BatchStatus;
import dev.sluice.server.job.BlobKeys;
import dev.sluice.server.api.Views.BatchView;
import dev.sluice.server.problem.Problem;
import dev.sluice.server.problem.ProblemException;
import dev.sluice.server.storage.BlobStorage;
import dev.sluice.server.storage.StorageProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Links that work without an API key because they are signed: the upload PUT of a batch-file and the
 * download of a result or of a filtered copy of it. A wrong signature answers 403, an expired link 410.
 */
@RestController
class TransfersController {

    private static final String DOWNLOAD_PATH = BatchIntake.DOWNLOAD_PATH;

    private static final MediaType ZIP = MediaType.parseMediaType("application/zip");

    private final BatchIntake intake;
    private final BatchLifecycle batches;
    private final BlobStorage storage;
    private final UrlSigner signer;
    private final StorageProperties.Download download;
    private final Clock clock;
    private final UploadSlots uploads;

    TransfersController(BatchIntake intake, BatchLifecycle batches, BlobStorage storage, UrlSigner signer,
            StorageProperties storageProperties, Clock clock, UploadSlots uploads) {
        this.uploads = uploads;
        this.intake = intake;
        this.batches = batches;
        this.storage = storage;
        this.signer = signer;
        this.download = storageProperties.download();
        this.clock = clock;
    }

    static String downloadPath(Batch batch) {
        return BatchIntake.downloadPath(batch);
    }

    @PutMapping(BatchIntake.UPLOAD_PATH + "{batchId}")
    BatchView upload(@PathVariable String batchId, @RequestParam(required = false) String expires,
            @RequestParam(required = false) String signature, HttpServletRequest request) throws IOException {
        checkSignature("PUT", BatchIntake.UPLOAD_PATH + batchId, expires, signature);
        Batch batch = batches.find(batchId).orElseThrow(() -> ProblemException.notFound("batch", batchId));
        try (UploadSlots.Slot slot = uploads.take(batch.accountId()); InputStream body = request.getInputStream()) {
            return BatchView.of(intake.acceptUpload(batchId, body, request.getContentLengthLong()), null);
        }
    }

    @GetMapping(DOWNLOAD_PATH + "{batchId}/{fileName}")
    ResponseEntity<InputStreamResource> download(@PathVariable String batchId, @PathVariable String fileName,
            @RequestParam(required = false) String expires, @RequestParam(required = false) String signature,
            HttpServletRequest request) throws IOException {
        checkSignature("GET", DOWNLOAD_PATH + batchId + "/" + fileName, expires, signature);
        Batch batch = batches.find(batchId).orElseThrow(() -> new ProblemException(Problem.GONE,
                "batch " + batchId + " no longer exists"));
        MediaType type = isZip(batch) ? ZIP : MediaType.parseMediaType(batch.resultFormat().mediaType());
        return serve(batch, BlobKeys.result(batch), fileName, type, expires, request);
    }

    /** The path of the signed download of a batch's result filtered by the filter whose key is {@code filterKey}. */
    static String filteredDownloadPath(Batch batch, String filterKey) {
        return DOWNLOAD_PATH + batch.id() + "/" + filterKey + "/" + batch.id() + "_result_" + filterKey + "."
                + batch.resultFormat().extension();
    }

    /** A filtered copy of a result, made when its link was asked for ({@code BatchesController.result}). */
    @GetMapping(DOWNLOAD_PATH + "{batchId}/{filterKey}/{fileName}")
    ResponseEntity<InputStreamResource> downloadFiltered(@PathVariable String batchId, @PathVariable String filterKey,
            @PathVariable String fileName, @RequestParam(required = false) String expires,
            @RequestParam(required = false) String signature, HttpServletRequest request) throws IOException {
        checkSignature("GET", DOWNLOAD_PATH + batchId + "/" + filterKey + "/" + fileName, expires, signature);
        Batch batch = batches.find(batchId).orElseThrow(() -> new ProblemException(Problem.GONE,
                "batch " + batchId + " no longer exists"));
        return serve(batch, BlobKeys.filtered(batch, filterKey), fileName,
                MediaType.parseMediaType(batch.resultFormat().mediaType()), expires, request);
    }

    private ResponseEntity<InputStreamResource> serve(Batch batch, String key, String fileName, MediaType type,
            String expires, HttpServletRequest request) throws IOException {
        if (batch.status() != BatchStatus.COMPLETED || !storage.exists(key)) {
            throw new ProblemException(Problem.GONE, "the result of batch " + batch.id() + " is no longer stored");
        }
        String disposition = ContentDisposition.attachment().filename(fileName).build().toString();
        if (download == StorageProperties.Download.REDIRECT) {
            // the presigned GET dies with the signed link: expires was parsed and found in the future above;
            // the bucket answers with the same file name and type as a streamed download would
            Duration ttl = Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(expires)));
            Optional<URI> direct = storage.presignedGet(key, ttl.isNegative() || ttl.isZero() ? Duration.ofSeconds(1) : ttl,
                    disposition, type.toString());
            if (direct.isPresent()) {
                return ResponseEntity.status(HttpStatus.FOUND).location(direct.get()).build();
            }
        }
        long size = storage.size(key);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition)
                .contentType(type)
                .contentLength(size);
        Optional<Path> file = sendsFiles(request) ? storage.localFile(key) : Optional.empty();
        if (file.isPresent()) {
            // the connector sends the file from the page cache once this returns, with no copy through the JVM, and
            // from its poller rather than a request thread (the bench's 153 MB result: the request threads' CPU in
            // a job 0.17 to 0.21 s instead of 0.28 to 0.34 s); a file deleted in between (its job deleted that
            // instant) ends the connection as a failed stream would
            request.setAttribute(SENDFILE_FILENAME, file.get().toRealPath().toString());
            request.setAttribute(SENDFILE_START, 0L);
            request.setAttribute(SENDFILE_END, size);
            return ok.build();
        }
        return ok.body(new InputStreamResource(storage.open(key)));
    }

    /** Tomcat's request attributes for a response body sent from a file by the connector (its "sendfile"). */
    private static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
    private static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    private static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    private static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";

    /** Whether the connector can send this response's body from a file: a GET (a HEAD has no body) it offers it for. */
    private static boolean sendsFiles(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT));
    }

    private void checkSignature(String method, String path, String expires, String signature) {
        switch (signer.check(method, path, expires, signature)) {
            case VALID -> {
            }
            case EXPIRED -> throw new ProblemException(Problem.GONE, "this link has expired; ask the API for a new one");
            case INVALID -> throw new ProblemException(Problem.INVALID_SIGNATURE,
                    "the link's signature does not match; use the link exactly as the API gave it");
        }
    }

    private static boolean isZip(Batch batch) {
        return BatchIntake.isZipResult(batch);
    }
}
