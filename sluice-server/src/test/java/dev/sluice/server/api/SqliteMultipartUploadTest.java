package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.Await;
import dev.sluice.server.support.Http;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A batch-file uploaded as {@code multipart/form-data}: the file part is streamed to storage as it arrives
 * ({@link MultipartFileStream}), so these bodies are written by hand, parts and boundaries included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class SqliteMultipartUploadTest {

    static final String KEY = "sk_test_admin_key_for_multipart_tests";
    static final String BOUNDARY = "b0undary-4f1c";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> KEY);
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.drop.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void the_file_part_among_others_is_stored_byte_for_byte_under_its_utf8_name() throws Exception {
        // given a file whose lines end in CRLF and hold dashes like a boundary's, between two other parts
        StringBuilder csv = new StringBuilder("email,note\r\n");
        for (int i = 1; i <= 2_000; i++) {
            csv.append("user").append(i).append("@example.com,--").append(BOUNDARY.substring(0, 8)).append(" ")
                    .append(i).append("\r\n");
        }
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);
        String jobId = createJob();
        byte[] body = body(part("name=\"note\"", "text/plain", "first".getBytes(StandardCharsets.UTF_8)),
                part("name=\"file\"; filename=\"Müller liste.csv\"", "text/csv", file),
                part("name=\"other\"; filename=\"b.csv\"", "text/csv", "email\nx@example.com\n".getBytes(StandardCharsets.UTF_8)),
                close());

        // when it is posted
        Http.Response created = post(jobId, body);

        // then the batch holds that file, named as sent, and every record of it
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode stored = created.json().get("file");
        assertThat(stored.get("name").asString()).isEqualTo("Müller liste.csv");
        assertThat(stored.get("size_bytes").asLong()).isEqualTo(file.length);
        assertThat(stored.get("sha256").asString())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        String batchId = created.json().get("id").asString();
        JsonNode batch = Await.until("the batch completes", Duration.ofSeconds(30), () -> http.get("/api/v1/jobs/" + jobId + "/batches/"
                + batchId, KEY).json(), b -> b.get("status").asString().equals("completed"));
        assertThat(batch.get("records").get("total").asLong()).isEqualTo(2_000);
    }

    @Test
    void a_body_cut_short_inside_the_file_is_refused_with_400_and_nothing_is_kept() throws Exception {
        // given a body that ends in the middle of its file part, without the closing boundary
        String jobId = createJob();
        byte[] body = body(part("name=\"file\"; filename=\"a.csv\"", "text/csv",
                "email\nann@example.com\nbob@exa".getBytes(StandardCharsets.UTF_8)));
        byte[] cut = Arrays.copyOf(body, body.length - 2); // without the part's closing CRLF too

        // when it is posted
        Http.Response answer = post(jobId, cut);

        // then it is a bad request, and no batch and no stored file are left behind
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.json().get("code").asString()).isEqualTo("invalid_request");
        assertThat(answer.json().get("detail").asString()).contains("multipart body could not be read");
        assertNoBatchIn(jobId);
    }

    @Test
    void a_part_named_file_without_a_file_name_is_no_file() throws Exception {
        // given a form field called file: text, not a file
        String jobId = createJob();
        byte[] body = body(part("name=\"file\"", "text/plain", "email\nann@example.com\n".getBytes(StandardCharsets.UTF_8)), close());

        // when it is posted
        Http.Response answer = post(jobId, body);

        // then the answer says a file is missing
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.json().get("detail").asString()).startsWith("no file");
        assertNoBatchIn(jobId);
    }

    @Test
    void a_multipart_type_without_a_boundary_is_refused_with_400() throws Exception {
        // given a body labelled multipart that names no boundary
        String jobId = createJob();

        // when it is posted
        Http.Response answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/jobs/" + jobId + "/batch-files")).header("x-api-key", KEY)
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("email\nann@example.com\n")));

        // then it is a bad request with problem details
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.json().get("code").asString()).isEqualTo("invalid_request");
        assertNoBatchIn(jobId);
    }

    @Test
    void a_job_deleted_while_its_file_is_uploaded_answers_404_or_409_and_keeps_nothing() throws Exception {
        // given a multipart upload whose client holds back the second half of the file
        String jobId = createJob();
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 40_000; i++) {
            csv.append("user").append(i).append("@example.com\n");
        }
        byte[] body = body(part("name=\"file\"; filename=\"a.csv\"", "text/csv",
                csv.toString().getBytes(StandardCharsets.UTF_8)), close());
        HeldBody held = new HeldBody(body, body.length / 2);
        java.util.concurrent.CompletableFuture<Http.Response> upload = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/api/v1/jobs/" + jobId + "/batch-files")).header("x-api-key", KEY)
                        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> held))));

        // when the job is deleted while the first half is being stored (in the storage's folder of files being
        // written), and the rest of the file comes after that
        Await.until("the upload's first bytes stored", Duration.ofSeconds(30), () -> filesBeingWritten() > 0);
        Http.Response deleted = http.delete("/api/v1/jobs/" + jobId, KEY);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
        held.release();

        // then the upload is refused as the job is gone (never 500), and nothing of it is left
        Http.Response answer = upload.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.text()).isIn(404, 409);
        Await.until("the job's files purged", Duration.ofSeconds(30), () -> storedFilesOf(jobId) == 0);
        assertThat(filesBeingWritten()).isZero();
    }

    /** Files stored under the job, counted again when a purge removes a folder while it is walked. */
    private long storedFilesOf(String jobId) {
        while (true) {
            try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
                return files.filter(Files::isRegularFile).filter(p -> p.toString().contains(jobId)).count();
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                // a folder went away during the walk
            }
        }
    }

    /** Files the local storage is writing (its temporary folder), besides its own free-space probes. */
    private long filesBeingWritten() {
        try (Stream<Path> files = Files.list(dataDir.resolve("blobs").resolve(".tmp"))) {
            return files.filter(p -> !p.getFileName().toString().startsWith("probe-")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A request body that gives its first {@code held} bytes at once and the rest only after {@link #release}. */
    private static final class HeldBody extends java.io.InputStream {
        private final byte[] bytes;
        private final int held;
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        private int position;

        HeldBody(byte[] bytes, int held) {
            this.bytes = bytes;
            this.held = held;
        }

        void release() {
            released.countDown();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == held) {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
            if (position >= bytes.length) {
                return -1;
            }
            int end = position < held ? held : bytes.length;
            int n = Math.min(len, end - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }

    private void assertNoBatchIn(String jobId) throws Exception {
        JsonNode job = http.get("/api/v1/jobs/" + jobId, KEY).json();
        job.get("batches").properties().forEach(e -> assertThat(e.getValue().asLong()).as(e.getKey()).isZero());
        try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString).filter(p -> p.contains(jobId)))
                    .isEmpty();
        }
    }

    private String createJob() {
        Http.Response job = http.postJson("/api/v1/jobs", KEY,
                "{\"name\": \"multipart\", \"operation\": \"verify\", \"output_format\": \"csv\"}");
        assertThat(job.status()).as(job.text()).isEqualTo(201);
        return job.json().get("id").asString();
    }

    private Http.Response post(String jobId, byte[] body) {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/jobs/"
                        + jobId + "/batch-files")).header("x-api-key", KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static byte[] part(String disposition, String contentType, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; " + disposition + "\r\nContent-Type: "
                + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] close() {
        return ("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] body(byte[]... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }
}
