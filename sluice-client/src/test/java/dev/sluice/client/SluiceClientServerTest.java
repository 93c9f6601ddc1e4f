package dev.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sluice.server.SluiceApplication;

/**
 * The client against a real Sluice server started in this JVM on loopback (SQLite and local blobs in a
 * temporary folder, DNS off so no network is touched): every part of the native API the SDK covers, with
 * the server's real answers.
 */
class SluiceClientServerTest {

    private static final String ADMIN_KEY = "sk_live_client_test_admin";
    private static final Duration WAIT = Duration.ofMinutes(2);

    @TempDir
    static Path dataDir;

    static ConfigurableApplicationContext server;
    static SluiceClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void start_server() {
        server = SluiceApplication.run(
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--sluice.data-dir=" + dataDir,
                "--SLUICE_BOOTSTRAP_API_KEY=" + ADMIN_KEY,
                "--sluice.drop.enabled=false",
                "--sluice.verify.dns.enabled=false",
                "--sluice.job.poll-interval=100ms",
                "--logging.level.root=warn");
        client = SluiceClient.builder().baseUri(baseUri()).apiKey(ADMIN_KEY)
                .pollBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0))
                .build();
    }

    @AfterAll
    static void stop_server() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getEnvironment().getProperty("local.server.port"));
    }

    // ---- verify ----

    @Test
    void verify_job_uploads_a_file_waits_and_downloads_one_verdict_per_row() throws IOException {
        // given
        Path input = dir.resolve("list.csv");
        Files.writeString(input, "id,email\n1,ann@example.com\n2,not-an-address\n3,bob@example.org\n");
        Job job = client.createJob(CreateJob.verify("sdk verify", OutputFormat.CSV));
        BatchFile file = client.createBatchFile(job.id());

        // when
        client.upload(file.uploadUrl(), input);
        List<Batch> seen = new ArrayList<>();
        Batch done = client.waitForBatch(job.id(), file.id(), WAIT, seen::add);
        Result result = client.result(job.id(), done.id());
        Path output = dir.resolve("out.csv");
        client.download(result.downloadUrl(), output);

        // then
        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.source()).isEqualTo("upload");
        assertThat(done.resultFormat()).isEqualTo("csv");
        assertThat(done.completedAt()).isNotNull();
        assertThat(done.records().total()).isEqualTo(3);
        assertThat(done.records().processed()).isEqualTo(3);
        assertThat(done.records().valid()).isEqualTo(2);
        assertThat(done.records().invalid()).isEqualTo(1);
        assertThat(seen).isNotEmpty().last().isEqualTo(done);
        assertThat(result.records()).isEqualTo(3);
        assertThat(result.format()).isEqualTo("csv");
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).hasSize(4);
        assertThat(lines.getFirst()).startsWith("id,email,sluice_row,sluice_status");
        assertThat(lines.get(2)).contains("not-an-address", "invalid");

        Job finished = client.waitForJob(job.id(), WAIT);
        assertThat(finished.isFinished()).isTrue();
        assertThat(finished.state()).isEqualTo("completed");
        assertThat(finished.batches().completed()).isEqualTo(1);
        assertThat(finished.records().processed()).isEqualTo(3);
        assertThat(finished.progress()).isEqualTo(100.0);
    }

    @Test
    void an_estimate_job_gives_its_batch_a_typed_estimate() {
        // given an estimate job and a file with a repeated and an invalid address
        Job job = client.createJob(CreateJob.estimate("sdk estimate"));

        // when a file is uploaded and estimated
        Batch uploaded = client.uploadBatchFile(job.id(), "quote.csv", new ByteArrayInputStream(
                "email\nann@example.com\n ann@EXAMPLE.com\nnot-an-address\n".getBytes(StandardCharsets.UTF_8)));
        Batch done = client.waitForBatch(job.id(), uploaded.id(), WAIT);

        // then the estimate is typed on the batch (offline here: nothing needs SMTP or costs credits)
        assertThat(job.operation()).isEqualTo(Operation.ESTIMATE);
        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(done.records().duplicates()).isEqualTo(1);
        assertThat(done.estimate()).isEqualTo(new Estimate(3, 2, 1, 1, 0, 0, 0, java.util.Map.of(), 0, 0));
    }

    @Test
    void a_filtered_result_and_the_report_come_as_typed_records() throws IOException {
        // given
        Job job = client.createJob(CreateJob.verify("sdk report", OutputFormat.CSV));
        Batch batch = client.addRecords(job.id(), List.of("ann@example.com", "not-an-address", "bob@example.org"));
        client.waitForBatch(job.id(), batch.id(), WAIT);

        // when
        Result invalid = client.result(job.id(), batch.id(), ResultFilter.statuses("invalid"));
        Path output = dir.resolve("invalid.csv");
        client.download(invalid.downloadUrl(), output);
        JobReport report = client.report(job.id());

        // then
        assertThat(invalid.records()).isEqualTo(1);
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("not-an-address,2,invalid,");
        assertThat(report.jobId()).isEqualTo(job.id());
        assertThat(report.total().statuses()).containsEntry("valid", 2L).containsEntry("invalid", 1L)
                .containsEntry("accept_all", 0L).containsEntry("unknown", 0L);
        assertThat(report.batches()).singleElement().satisfies(b -> {
            assertThat(b.batchId()).isEqualTo(batch.id());
            assertThat(b.counts().records()).isEqualTo(3);
        });
        assertThat(report.total().topDomains()).extracting(JobReport.DomainCount::domain)
                .containsExactly("example.com", "example.org");
        assertThatThrownBy(() -> client.result(job.id(), batch.id(), ResultFilter.statuses("great")))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).contains("great"));
    }

    @Test
    void a_verify_job_with_transcripts_answers_each_address_and_a_job_without_them_is_not_found() {
        // given (DNS is off here, so no mail server is asked: the transcript says so)
        Job kept = client.createJob(CreateJob.verify("sdk transcripts", VerifyOptions.withTranscripts(),
                OutputFormat.CSV));
        Batch batch = client.waitForBatch(kept.id(), client.addRecords(kept.id(), List.of("ann@example.com")).id(),
                WAIT);
        Job plain = client.createJob(CreateJob.verify("sdk no transcripts", OutputFormat.CSV));
        Batch other = client.waitForBatch(plain.id(), client.addRecords(plain.id(), List.of("ann@example.com")).id(),
                WAIT);

        // when
        Transcript transcript = client.transcript(kept.id(), batch.id(), "ann@example.com");

        // then
        assertThat(kept.options()).containsEntry("transcripts", true);
        assertThat(transcript.email()).isEqualTo("ann@example.com");
        assertThat(transcript.status()).isEqualTo("valid");
        assertThat(transcript.source()).isEqualTo("none");
        assertThat(transcript.lines()).isEmpty();
        assertThatThrownBy(() -> client.transcript(plain.id(), other.id(), "ann@example.com"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.transcript(kept.id(), batch.id(), "bob@example.com"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void upload_from_a_stream_is_sent_in_chunks_and_the_result_can_be_read_as_a_stream() throws IOException {
        // given
        Job job = client.createJob(CreateJob.verify("sdk stream", OutputFormat.NDJSON));
        BatchFile file = client.createBatchFile(job.id());
        InputStream in = new ByteArrayInputStream("email\nann@example.com\nbob@example.com\n".getBytes(StandardCharsets.UTF_8));

        // when
        client.upload(file.uploadUrl(), in, "text/csv");
        Batch done = client.waitForBatch(job.id(), file.id(), WAIT);
        String ndjson;
        try (InputStream result = client.openDownload(client.result(job.id(), done.id()).downloadUrl())) {
            ndjson = new String(result.readAllBytes(), StandardCharsets.UTF_8);
        }

        // then
        assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(ndjson.lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"sluice_status\":\"valid\""));
    }

    @Test
    void upload_of_a_file_over_the_limit_fails_with_the_servers_413_problem() throws IOException {
        // given: a sparse file 2 MB over the default 50 MB a batch takes
        Job job = client.createJob(CreateJob.verify("sdk too large", OutputFormat.CSV));
        BatchFile batchFile = client.createBatchFile(job.id());
        Path large = dir.resolve("large.csv");
        try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
            file.setLength(52L * 1024 * 1024);
        }

        // when / then: the refusal comes before the body is sent, as the server's problem
        assertThatThrownBy(() -> client.upload(batchFile.uploadUrl(), large))
                .isInstanceOfSatisfying(PayloadTooLargeException.class, e -> {
                    assertThat(e.status()).isEqualTo(413);
                    assertThat(e.code()).isEqualTo("payload_too_large");
                });
    }

    @Test
    void multipart_upload_and_inline_records_make_two_batches_of_one_job() {
        // given
        Job job = client.createJob(CreateJob.verify("sdk multipart", OutputFormat.JSON));

        // when
        Batch uploaded = client.uploadBatchFile(job.id(), "people.csv",
                new ByteArrayInputStream("email\nann@example.com\n".getBytes(StandardCharsets.UTF_8)));
        Batch inline = client.addRecords(job.id(), List.of("bob@example.com", Map.of("email", "x@", "id", 7)));
        Job finished = client.waitForJob(job.id(), WAIT);

        // then
        assertThat(uploaded.status()).isIn(BatchStatus.QUEUED, BatchStatus.LOADING, BatchStatus.IN_PROGRESS,
                BatchStatus.COMPLETED);
        assertThat(inline.source()).isEqualTo("inline");
        assertThat(finished.batches().completed()).isEqualTo(2);
        assertThat(finished.records().total()).isEqualTo(3);
        assertThat(finished.records().valid()).isEqualTo(2);
        assertThat(finished.records().invalid()).isEqualTo(1);
        assertThat(client.batches(job.id())).extracting(Batch::id)
                .containsExactlyInAnyOrder(uploaded.id(), inline.id());
    }

    @Test
    void multipart_upload_of_a_path_streams_the_file(@TempDir Path tmp) throws IOException {
        Path input = tmp.resolve("a.csv");
        Files.writeString(input, "email\nann@example.com\n");
        Job job = client.createJob(CreateJob.verify("sdk multipart path", OutputFormat.CSV));

        Batch batch = client.waitForBatch(job.id(), client.uploadBatchFile(job.id(), input).id(), WAIT);

        assertThat(batch.records().valid()).isEqualTo(1);
    }

    // ---- one address now ----

    @Test
    void verify_answers_one_typed_verdict_and_a_malformed_address_is_a_verdict_too() {
        // when
        Verdict valid = client.verify("Ann@Example.COM");
        Verdict malformed = client.verify("not-an-address", Duration.ofSeconds(5));
        Verdict role = client.verify("info@example.com", Duration.ofMillis(1500));

        // then (DNS is off here: the offline checks decide)
        assertThat(valid).isEqualTo(new Verdict("Ann@example.com", "valid", "offline_checks_passed", null, 60, true, false,
                false, false, null, false));
        assertThat(malformed.email()).isEqualTo("not-an-address");
        assertThat(malformed.status()).isEqualTo("invalid");
        assertThat(malformed.reason()).isEqualTo("syntax_missing_at");
        assertThat(malformed.score()).isZero();
        assertThat(malformed.safeToSend()).isFalse();
        assertThat(role.role()).isTrue();
        assertThat(role.safeToSend()).isFalse();
    }

    @Test
    void verify_refuses_a_timeout_over_the_servers_maximum_as_an_invalid_request() {
        assertThatThrownBy(() -> client.verify("ann@example.com", Duration.ofMinutes(3)))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.problem().detail()).contains("timeout", "120s"));
        assertThatThrownBy(() -> client.verify(" ")).isInstanceOf(InvalidRequestException.class);
    }

    // ---- jobs: list, events, cancel, delete, idempotency ----

    @Test
    void jobs_are_listed_newest_first_in_pages_and_cancel_and_delete_work() {
        // given
        Job first = client.createJob(CreateJob.verify("sdk page 1", OutputFormat.CSV));
        Job second = client.createJob(CreateJob.verify("sdk page 2", OutputFormat.CSV));

        // when
        Page<Job> page1 = client.jobs(null, null, 1);
        Page<Job> page2 = client.jobs(null, page1.nextCursor(), 1);
        Job cancelled = client.cancelJob(first.id());

        // then
        assertThat(page1.items()).extracting(Job::id).containsExactly(second.id());
        assertThat(page1.hasNext()).isTrue();
        assertThat(page2.items()).extracting(Job::id).containsExactly(first.id());
        assertThat(cancelled.status()).isEqualTo("cancelled");
        assertThat(cancelled.isFinished()).isTrue();
        assertThat(client.jobs("cancelled", null, 200).items()).extracting(Job::id).contains(first.id())
                .doesNotContain(second.id());

        // and when
        client.deleteJob(second.id());

        // then
        assertThatThrownBy(() -> client.job(second.id()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    }

    @Test
    void events_page_through_the_job_log_oldest_first() {
        Job job = client.createJob(CreateJob.verify("sdk events", OutputFormat.CSV));
        Batch batch = client.addRecords(job.id(), List.of("ann@example.com"));
        client.waitForBatch(job.id(), batch.id(), WAIT);

        List<Event> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<Event> page = client.events(job.id(), cursor, 1);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(all).extracting(Event::type).startsWith("job_created").contains("batch_completed");
        assertThat(all).extracting(Event::id).isSorted();
        assertThat(all).filteredOn(e -> e.type().equals("batch_completed")).extracting(Event::batchId)
                .containsExactly(batch.id());
    }

    @Test
    void the_same_idempotency_key_answers_the_same_job() {
        CreateJob request = CreateJob.verify("sdk idempotent", OutputFormat.CSV);

        Job one = client.createJob(request, "sdk-key-1");
        Job two = client.createJob(request, "sdk-key-1");

        assertThat(two.id()).isEqualTo(one.id());
        assertThatThrownBy(() -> client.createJob(CreateJob.verify("other", OutputFormat.CSV), "sdk-key-1"))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.code()).isEqualTo("idempotency_key_reused"));
    }

    @Test
    void waiting_for_a_job_whose_file_never_comes_times_out() {
        Job job = client.createJob(CreateJob.verify("sdk never uploaded", OutputFormat.CSV));
        BatchFile file = client.createBatchFile(job.id());

        assertThatThrownBy(() -> client.waitForJob(job.id(), Duration.ofMillis(300)))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("still waiting");
        assertThatThrownBy(() -> client.result(job.id(), file.id()))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    // ---- errors as typed exceptions ----

    @Test
    void errors_come_as_typed_exceptions_with_the_servers_problem() {
        try (SluiceClient stranger = SluiceClient.builder().baseUri(baseUri()).apiKey("sk_live_nobody").build()) {
            assertThatThrownBy(() -> stranger.jobs(null, null, null)).isInstanceOf(UnauthorizedException.class);
        }
        assertThatThrownBy(() -> client.createJob(new CreateJob("x", Operation.IMPORT, OutputFormat.CSV)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_request");
                    assertThat(e.problem().detail()).contains("dataset");
                });
        assertThatThrownBy(() -> client.dataset("no_such_dataset")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.createAccount("")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void an_admin_creates_an_account_whose_key_works_and_sees_only_its_own_jobs() {
        Account account = client.createAccount("sdk tenant");
        Job adminJob = client.createJob(CreateJob.verify("admin's", OutputFormat.CSV));

        try (SluiceClient tenant = SluiceClient.builder().baseUri(baseUri()).apiKey(account.apiKey().key()).build()) {
            ApiKey evaluation = tenant.addKey(account.id(), "evaluation");
            assertThat(evaluation.kind()).isEqualTo("evaluation");
            assertThat(tenant.jobs(null, null, null).items()).isEmpty();
            assertThatThrownBy(() -> tenant.job(adminJob.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> tenant.createAccount("nope")).isInstanceOf(ForbiddenException.class);
        }
    }

    // ---- datasets, import, append, export ----

    @Test
    void datasets_are_created_listed_counted_paged_and_deleted() {
        // given
        String name = "sdk_people";
        Dataset created = client.createDataset(new CreateDataset(name,
                List.of(Dataset.Column.of("id", "integer"), Dataset.Column.of("name", "string"),
                        new Dataset.Column("email", "email", true)),
                List.of("id")));

        // when
        for (int i = 1; i <= 3; i++) {
            client.putRecord(name, Integer.toString(i), Map.of("name", "P" + i, "email", "p" + i + "@example.com"));
        }
        Page<Map<String, Object>> first = client.records(name, null, 2);
        Page<Map<String, Object>> rest = client.records(name, first.nextCursor(), 2);

        // then
        assertThat(created.columns()).extracting(Dataset.Column::name).containsExactly("id", "name", "email");
        assertThat(created.columns().get(2).required()).isTrue();
        assertThat(created.key()).containsExactly("id");
        assertThat(client.datasets()).extracting(Dataset::name).contains(name);
        assertThat(client.dataset(name).records()).isEqualTo(3);
        assertThat(first.items()).hasSize(2);
        assertThat(first.items().getFirst()).containsEntry("id", 1).containsEntry("name", "P1");
        assertThat(rest.items()).hasSize(1);
        assertThat(rest.hasNext()).isFalse();
        assertThat(client.record(name, "2")).containsEntry("email", "p2@example.com");

        // and when
        client.deleteRecord(name, "2");
        client.deleteDataset(name);

        // then
        assertThatThrownBy(() -> client.dataset(name)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void import_loads_a_file_and_reports_failed_records_by_index() throws IOException {
        // given
        String name = dataset("sdk_import");
        Path input = dir.resolve("people.csv");
        Files.writeString(input, "id,name,email\n1,Ann,ann@example.com\nnot-a-number,Bad,bad@example.com\n2,Bob,bob@example.com\n");
        Job job = client.createJob(CreateJob.importInto("sdk import", ImportOptions.of(name)
                .withImportType(ImportType.UPDATE).withErrorThreshold("50%").withSource(ImportOptions.Source.headers(true))));

        // when
        Batch batch = client.waitForBatch(job.id(), client.uploadBatchFile(job.id(), input).id(), WAIT);
        Page<Outcome> failed = client.outcomes(job.id(), batch.id(), "failed", null, null);

        // then
        assertThat(job.options()).containsEntry("dataset", name).containsEntry("import_type", "update");
        assertThat(batch.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(batch.records().completed()).isEqualTo(2);
        assertThat(batch.records().failed()).isEqualTo(1);
        assertThat(failed.items()).hasSize(1);
        assertThat(failed.items().getFirst().index()).isEqualTo(1);
        assertThat(failed.items().getFirst().outcome()).isEqualTo("failed");
        assertThat(failed.items().getFirst().error()).isNotBlank();
        assertThat(client.dataset(name).records()).isEqualTo(2);
    }

    @Test
    void import_over_its_error_threshold_fails_and_changes_nothing() throws IOException {
        String name = dataset("sdk_import_strict");
        Path input = dir.resolve("bad.csv");
        Files.writeString(input, "id,name,email\nx,Ann,ann@example.com\n2,Bob,bob@example.com\n");
        Job job = client.createJob(CreateJob.importInto("sdk strict", ImportOptions.of(name)
                .withErrorThreshold("1%").withSource(ImportOptions.Source.headers(true))));

        Batch batch = client.waitForBatch(job.id(), client.uploadBatchFile(job.id(), input).id(), WAIT);

        assertThat(batch.status()).isEqualTo(BatchStatus.FAILED);
        assertThat(batch.error().code()).isEqualTo("error_threshold_exceeded");
        assertThat(client.dataset(name).records()).isZero();
    }

    @Test
    void append_adds_the_dataset_fields_to_each_record() throws IOException {
        // given
        String name = dataset("sdk_append");
        client.putRecord(name, "1", Map.of("name", "Ann Lee", "email", "ann@example.com"));
        Path input = dir.resolve("names.csv");
        Files.writeString(input, "name,city\nAnn Lee,Paris\nNobody,Rome\n");
        Job job = client.createJob(CreateJob.append("sdk append",
                AppendOptions.of(name, List.of("name"), List.of("email")), OutputFormat.CSV));

        // when
        Batch batch = client.waitForBatch(job.id(), client.uploadBatchFile(job.id(), input).id(), WAIT);
        Path output = dir.resolve("appended.csv");
        client.download(client.result(job.id(), batch.id()).downloadUrl(), output);

        // then
        assertThat(batch.records().completed()).isEqualTo(1);
        assertThat(batch.records().ignored()).isEqualTo(1);
        List<String> lines = Files.readAllLines(output);
        assertThat(lines.getFirst()).contains("name", "city", "email", "sluice_match");
        assertThat(lines.get(1)).contains("ann@example.com", "exact");
        assertThat(lines.get(2)).contains("none");
    }

    @Test
    void export_starts_its_own_batch_and_yields_a_zip_of_the_dataset() throws IOException {
        // given
        String name = dataset("sdk_export");
        client.putRecord(name, "1", Map.of("name", "Ann", "email", "ann@example.com"));
        client.putRecord(name, "2", Map.of("name", "Bob", "email", "bob@example.com"));

        // when
        Job job = client.createJob(CreateJob.export("sdk export",
                ExportOptions.dataset(name).withFields(List.of("email")).withFilter(Map.of("name", "Bob")),
                OutputFormat.CSV));
        Job finished = client.waitForJob(job.id(), WAIT);
        Batch batch = client.batches(job.id()).getFirst();
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(client.openDownload(client.result(job.id(), batch.id()).downloadUrl()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }

        // then
        assertThat(finished.batches().completed()).isEqualTo(1);
        assertThat(batch.source()).isEqualTo("produced");
        assertThat(entries).containsOnlyKeys("export-" + name + ".csv");
        assertThat(entries.get("export-" + name + ".csv")).isEqualTo("email\r\nbob@example.com\r\n");
    }

    /** A fresh dataset (id integer key, name, email) named {@code prefix} plus a counter. */
    private static String dataset(String prefix) {
        String name = prefix + "_" + System.nanoTime() % 1_000_000;
        client.createDataset(new CreateDataset(name,
                List.of(Dataset.Column.of("id", "integer"), Dataset.Column.of("name", "string"),
                        Dataset.Column.of("email", "email")),
                List.of("id")));
        return name;
    }
}
