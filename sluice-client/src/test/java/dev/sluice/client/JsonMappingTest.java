package dev.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonMappingTest {

    @Test
    void job_json_maps_to_job_and_ignores_unknown_fields() {
        String json = """
                {"id":"job_1","name":"march","operation":"verify","status":"in_progress","state":"running",
                 "output_format":"csv",
                 "batches":{"waiting_for_upload":1,"queued":2,"loading":3,"in_progress":4,"completed":5,
                            "failed":6,"malformed":7,"cancelled":8,"brand_new_counter":9},
                 "records":{"total":100,"processed":50,"valid":30,"invalid":10,"accept_all":6,"unknown":4},
                 "progress":12.5,"created_at":"2026-11-23T08:00:00Z","updated_at":"2026-11-23T08:00:01.250Z",
                 "options":{"something":"new"}}
                """;

        Job job = Json.MAPPER.readValue(json, Job.class);

        assertThat(job.id()).isEqualTo("job_1");
        assertThat(job.name()).isEqualTo("march");
        assertThat(job.operation()).isEqualTo(Operation.VERIFY);
        assertThat(job.status()).isEqualTo("in_progress");
        assertThat(job.state()).isEqualTo("running");
        assertThat(job.outputFormat()).isEqualTo(OutputFormat.CSV);
        assertThat(job.batches()).isEqualTo(new BatchCounts(1, 2, 3, 4, 5, 6, 7, 8));
        assertThat(job.batches().total()).isEqualTo(36);
        assertThat(job.records()).isEqualTo(new RecordCounts(100, 50, 30, 10, 6, 4, 0, 0, 0));
        assertThat(job.progress()).isEqualTo(12.5);
        assertThat(job.createdAt()).isEqualTo(Instant.parse("2026-11-23T08:00:00Z"));
        assertThat(job.updatedAt()).isEqualTo(Instant.parse("2026-11-23T08:00:01.250Z"));
    }

    @Test
    void deferred_records_and_the_next_retry_are_read_from_a_waiting_batch() {
        String json = """
                {"id":"bat_1","job_id":"job_1","status":"in_progress",
                 "records":{"total":10,"processed":7,"valid":6,"invalid":1,"accept_all":0,"unknown":0,"deferred":3},
                 "progress":70.0,"next_retry_at":"2026-11-23T08:05:00Z"}
                """;

        Batch batch = Json.MAPPER.readValue(json, Batch.class);

        assertThat(batch.records()).isEqualTo(new RecordCounts(10, 7, 6, 1, 0, 0, 0, 0, 0, 3, 0));
        assertThat(batch.records().deferred()).isEqualTo(3);
        assertThat(batch.nextRetryAt()).isEqualTo(Instant.parse("2026-11-23T08:05:00Z"));
        assertThat(batch.isTerminal()).isFalse();
    }

    @Test
    void timestamps_with_an_offset_are_read_as_instants() {
        Batch batch = Json.MAPPER.readValue(
                "{\"id\":\"bat_1\",\"created_at\":\"2026-11-23T09:00:00+01:00\"}", Batch.class);

        assertThat(batch.createdAt()).isEqualTo(Instant.parse("2026-11-23T08:00:00Z"));
    }

    @Test
    void create_job_is_written_in_snake_case_with_lower_case_words() {
        String json = Json.MAPPER.writeValueAsString(CreateJob.verify("march", OutputFormat.NDJSON));

        assertThat(Json.MAPPER.readValue(json, Map.class)).isEqualTo(
                Map.of("name", "march", "operation", "verify", "output_format", "ndjson"));
    }

    @Test
    void verify_options_are_written_in_snake_case_and_a_transcript_is_read_with_its_lines() {
        String job = Json.MAPPER.writeValueAsString(
                CreateJob.verify("march", VerifyOptions.withTranscripts(), OutputFormat.CSV));
        String transcript = """
                {"email":"ann@example.net","status":"valid","reason":"accepted","source":"smtp","note":"n",
                 "connections":[{"connection":1,"mx_host":"mx.example.net","mx_address":"192.0.2.1","port":25,
                                 "proxy":"10.0.0.1:1080","failure":null,"other_recipients":3}],
                 "lines":[{"connection":1,"at_ms":12,"direction":"received","line":"220 mx ready"}]}
                """;

        Transcript read = Json.MAPPER.readValue(transcript, Transcript.class);

        assertThat(Json.MAPPER.readValue(job, Map.class)).isEqualTo(Map.of("name", "march", "operation", "verify",
                "output_format", "csv", "options", Map.of("transcripts", true)));
        assertThat(read.connections()).containsExactly(
                new Transcript.Connection(1, "mx.example.net", "192.0.2.1", 25, "10.0.0.1:1080", null, 3));
        assertThat(read.lines()).containsExactly(new Transcript.Line(1, 12, "received", "220 mx ready"));
    }

    @Test
    void batch_file_carries_its_upload_url() {
        String json = """
                {"id":"bat_1","job_id":"job_1","status":"waiting_for_upload",
                 "upload_url":"http://localhost:8080/uploads/bat_1?expires=1&signature=abc",
                 "upload_expires_at":"2026-11-23T16:00:00Z"}
                """;

        BatchFile file = Json.MAPPER.readValue(json, BatchFile.class);

        assertThat(file).isEqualTo(new BatchFile("bat_1", "job_1", BatchStatus.WAITING_FOR_UPLOAD,
                "http://localhost:8080/uploads/bat_1?expires=1&signature=abc", Instant.parse("2026-11-23T16:00:00Z")));
    }

    @Test
    void malformed_batch_carries_its_error() {
        String json = """
                {"id":"bat_1","job_id":"job_1","status":"malformed",
                 "records":{"total":0,"processed":0,"valid":0,"invalid":0,"accept_all":0,"unknown":0},
                 "progress":0,"error":{"code":"missing_column","message":"no column named email"},
                 "created_at":"2026-11-23T08:00:00Z","updated_at":"2026-11-23T08:00:00Z"}
                """;

        Batch batch = Json.MAPPER.readValue(json, Batch.class);

        assertThat(batch.status()).isEqualTo(BatchStatus.MALFORMED);
        assertThat(batch.isTerminal()).isTrue();
        assertThat(batch.records()).isEqualTo(RecordCounts.NONE);
        assertThat(batch.error()).isEqualTo(new BatchError("missing_column", "no column named email"));
    }

    @Test
    void running_batch_has_no_error_and_is_not_terminal() {
        String json = """
                {"id":"bat_1","job_id":"job_1","status":"in_progress","progress":40.0,"error":null}
                """;

        Batch batch = Json.MAPPER.readValue(json, Batch.class);

        assertThat(batch.status()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(batch.isTerminal()).isFalse();
        assertThat(batch.error()).isNull();
        assertThat(batch.progress()).isEqualTo(40.0);
    }

    @Test
    void batch_status_unknown_to_this_client_reads_as_null_and_not_terminal() {
        Batch batch = Json.MAPPER.readValue("{\"id\":\"bat_1\",\"status\":\"archived\"}", Batch.class);

        assertThat(batch.status()).isNull();
        assertThat(batch.isTerminal()).isFalse();
    }

    @Test
    void every_batch_status_word_maps_to_its_constant() {
        Map<String, BatchStatus> words = Map.of(
                "waiting_for_upload", BatchStatus.WAITING_FOR_UPLOAD, "queued", BatchStatus.QUEUED,
                "loading", BatchStatus.LOADING, "in_progress", BatchStatus.IN_PROGRESS,
                "completed", BatchStatus.COMPLETED, "failed", BatchStatus.FAILED,
                "malformed", BatchStatus.MALFORMED, "cancelled", BatchStatus.CANCELLED);

        words.forEach((word, status) ->
                assertThat(Json.MAPPER.readValue("\"" + word + "\"", BatchStatus.class)).isEqualTo(status));
    }

    @Test
    void only_completed_failed_malformed_and_cancelled_are_terminal() {
        assertThat(BatchStatus.values())
                .filteredOn(BatchStatus::isTerminal)
                .containsExactlyInAnyOrder(BatchStatus.COMPLETED, BatchStatus.FAILED,
                        BatchStatus.MALFORMED, BatchStatus.CANCELLED);
    }

    @Test
    void result_carries_download_url_format_and_record_count() {
        String json = """
                {"download_url":"http://localhost:8080/downloads/res_1?sig=x","expires_at":"2026-11-26T08:00:00Z",
                 "format":"csv","records":20000}
                """;

        Result result = Json.MAPPER.readValue(json, Result.class);

        assertThat(result).isEqualTo(new Result("http://localhost:8080/downloads/res_1?sig=x",
                Instant.parse("2026-11-26T08:00:00Z"), "csv", 20000));
    }

    @Test
    void problem_json_is_read_with_its_code() {
        Problem problem = Json.problem(409, """
                {"type":"https://sluice.dev/problems/batch-not-completed","title":"Conflict","status":409,
                 "detail":"batch bat_1 is in_progress","code":"batch_not_completed","instance":"/api/v1/x"}
                """);

        assertThat(problem).isEqualTo(new Problem("https://sluice.dev/problems/batch-not-completed",
                "Conflict", 409, "batch bat_1 is in_progress", "batch_not_completed"));
    }

    @Test
    void problem_without_status_or_title_takes_them_from_the_answer() {
        Problem problem = Json.problem(404, "{\"detail\":\"no job job_9\",\"code\":\"job_not_found\"}");

        assertThat(problem.status()).isEqualTo(404);
        assertThat(problem.title()).isEqualTo("Not Found");
        assertThat(problem.code()).isEqualTo("job_not_found");
    }

    @Test
    void answer_that_is_not_json_becomes_a_problem_with_the_body_as_detail() {
        Problem problem = Json.problem(502, "<html>bad gateway</html>");

        assertThat(problem).isEqualTo(new Problem("about:blank", "Bad Gateway", 502, "<html>bad gateway</html>", null));
    }

    @Test
    void empty_error_answer_becomes_a_problem_without_detail() {
        assertThat(Json.problem(401, "")).isEqualTo(new Problem("about:blank", "Unauthorized", 401, null, null));
    }

    @Test
    void api_exception_message_names_status_title_detail_and_code() {
        SluiceApiException e = new SluiceApiException(
                new Problem("about:blank", "Conflict", 409, "batch bat_1 is in_progress", "batch_not_completed"),
                "GET /api/v1/jobs/job_1/batches/bat_1/result");

        assertThat(e).hasMessage("GET /api/v1/jobs/job_1/batches/bat_1/result answered"
                + " HTTP 409 Conflict: batch bat_1 is in_progress [batch_not_completed]");
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("batch_not_completed");
    }

    @Test
    void import_job_options_are_written_with_the_servers_names_and_without_nulls() {
        CreateJob job = CreateJob.importInto("load", ImportOptions.of("people").withImportType(ImportType.REPLACE)
                .withErrorThreshold("5%").withSource(new ImportOptions.Source(true, ";", java.util.List.of(Map.of("sku", 0)), null)))
                .withRetentionHours(24);

        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(job), Map.class)).isEqualTo(Map.of(
                "name", "load", "operation", "import", "output_format", "csv", "retention_hours", 24,
                "options", Map.of("dataset", "people", "import_type", "replace", "error_threshold", "5%",
                        "source", Map.of("headers", true, "separator", ";", "mappings", java.util.List.of(Map.of("sku", 0))))));
    }

    @Test
    void append_and_export_options_are_written_in_snake_case() {
        CreateJob append = CreateJob.append("a", AppendOptions.of("people", java.util.List.of("last_name"),
                java.util.List.of("email")).withMatchMap(Map.of("surname", "last_name")), OutputFormat.CSV)
                .withNotification(Notification.post("https://hooks.example.com/x"));
        CreateJob export = CreateJob.export("e", ExportOptions.jobResults("job_1"), OutputFormat.XML);

        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(append), Map.class))
                .containsEntry("options", Map.of("dataset", "people", "match", java.util.List.of("last_name"),
                        "fields", java.util.List.of("email"), "match_map", Map.of("surname", "last_name")))
                .containsEntry("notification", Map.of("url", "https://hooks.example.com/x", "method", "POST"));
        assertThat(Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(export), Map.class))
                .containsEntry("output_format", "xml").containsEntry("options", Map.of("job_id", "job_1"));
    }

    @Test
    void options_of_another_operation_and_bad_thresholds_are_refused_at_once() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CreateJob("x", Operation.VERIFY, OutputFormat.CSV,
                ExportOptions.dataset("d"), null, null)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImportOptions.of("d").withErrorThreshold("lots"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ExportOptions("d", null, null, "job_1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backoff_grows_by_its_factor_up_to_its_maximum() {
        Backoff backoff = new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(250), 2.0);

        assertThat(backoff.next(java.time.Duration.ofMillis(100))).isEqualTo(java.time.Duration.ofMillis(200));
        assertThat(backoff.next(java.time.Duration.ofMillis(200))).isEqualTo(java.time.Duration.ofMillis(250));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Backoff(java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(1), 2.0)).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Backoff(java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void problem_statuses_map_to_typed_exceptions() {
        assertThat(SluiceApiException.of(Json.problem(400, ""), "r")).isInstanceOf(InvalidRequestException.class);
        assertThat(SluiceApiException.of(Json.problem(401, ""), "r")).isInstanceOf(UnauthorizedException.class);
        assertThat(SluiceApiException.of(Json.problem(403, ""), "r")).isInstanceOf(ForbiddenException.class);
        assertThat(SluiceApiException.of(Json.problem(404, ""), "r")).isInstanceOf(NotFoundException.class);
        assertThat(SluiceApiException.of(Json.problem(409, ""), "r")).isInstanceOf(ConflictException.class);
        assertThat(SluiceApiException.of(Json.problem(410, ""), "r")).isInstanceOf(GoneException.class);
        assertThat(SluiceApiException.of(Json.problem(413, ""), "r")).isInstanceOf(PayloadTooLargeException.class);
        assertThat(SluiceApiException.of(Json.problem(503, ""), "r")).isExactlyInstanceOf(SluiceApiException.class);
    }
}
