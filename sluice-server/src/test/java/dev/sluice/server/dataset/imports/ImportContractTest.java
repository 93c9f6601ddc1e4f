package dev.sluice.server.dataset.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.Batches;
import dev.sluice.server.job.RetentionPurge;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.OwnServers;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestClock;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The import operation end to end over the native API, on every store (one run per {@link TestDatabase}): datasets are
 * created and read through HTTP, files uploaded multipart or fetched from a loopback HTTP server. Chunks
 * are 2 records so that every file spans several chunks and indexes cross chunk borders.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class ImportContractTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_import_tests";
    private static final AtomicInteger NAMES = new AtomicInteger();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RetentionPurge purge;

    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    Http http;

    static Map<String, String> properties() {
        return TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.job.chunk-size", "2"),
                Map.entry("sluice.fetch.allow", "127.0.0.1"),
                // the SFTP drop is not what these tests are about; other test JVMs may hold its port
                Map.entry("sluice.drop.enabled", "false"));
    }

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database) {
        server = TestServer.start(database, properties());
    }

    @AfterParameterizedClassInvocation
    static void stop_server() {
        server.close();
    }

    /** Servers a test started for itself, on a clock it moves; closed after it. */
    @RegisterExtension
    final OwnServers own = new OwnServers();

    @BeforeEach
    void client() {
        connect(server);
    }

    private void connect(TestServer target) {
        target.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    /** Talks to a server of this test's own from now on, whose time it moves; never the shared one's. */
    TestClock ownServerWithClock() {
        TestClock clock = new TestClock();
        connect(own.start(database, clock, properties()));
        return clock;
    }

    // ---- import types ----

    @Test
    void import_with_ignore_keeps_existing_rows_and_reports_them_ignored() {
        // given a dataset holding a1
        String dataset = productsWith("a1", "Old", "1.00");

        // when a file with a1 (changed) and a new b2 is imported with ignore
        JsonNode batch = importFile(dataset, "{\"importType\":\"ignore\",\"source\":{\"headers\":true}}",
                "sku,name,price,qty\na1,New,9.99,5\nb2,Bee,2.50,7\n");

        // then a1 is untouched and ignored, b2 inserted
        assertCounts(batch, 2, 1, 0, 1);
        assertThat(record(dataset, "a1").get("name").asString()).isEqualTo("Old");
        assertThat(record(dataset, "a1").get("price").asString()).isEqualTo("1.00");
        assertThat(record(dataset, "b2").get("qty").asLong()).isEqualTo(7);
        assertThat(outcomes(batch, null)).containsExactly("0:ignored", "1:completed");
    }

    // ---- retention and deletion ----

    @Test
    void outcomes_go_with_the_retention_purge_and_answer_410_while_the_counters_stay() throws Exception {
        // given an import with outcomes whose retention (72 hours) has passed
        TestClock clock = ownServerWithClock();
        String dataset = productsWith("a1", "Old", "1.00");
        JsonNode batch = importFile(dataset, "{\"importType\":\"ignore\",\"source\":{\"headers\":true}}",
                "sku,name,price,qty\na1,New,9.99,5\nb2,Bee,2.50,7\n");
        String batchId = batch.get("id").asString();
        assertThat(outcomeRows(batchId)).isEqualTo(2);
        clock.advance(Duration.ofHours(72).plusMinutes(1));

        // when
        purge.purgeExpired();

        // then the per-record rows are gone, asking for them answers 410, and the counters stay
        assertThat(outcomeRows(batchId)).isZero();
        Http.Response response = http.get(outcomesPath(batch), ADMIN_KEY);
        assertThat(response.status()).isEqualTo(410);
        assertThat(response.json().get("code").asString()).isEqualTo("gone");
        JsonNode after = http.get("/api/v1/jobs/" + batch.get("job_id").asString() + "/batches/" + batchId, ADMIN_KEY)
                .json();
        assertCounts(after, 2, 1, 0, 1);
    }

    @Test
    void deleting_a_job_deletes_its_outcomes() {
        // given an import with outcomes
        String dataset = productsWith("a1", "Old", "1.00");
        JsonNode batch = importFile(dataset, "{\"importType\":\"ignore\",\"source\":{\"headers\":true}}",
                "sku,name,price,qty\na1,New,9.99,5\nb2,Bee,2.50,7\n");
        String batchId = batch.get("id").asString();
        assertThat(outcomeRows(batchId)).isEqualTo(2);

        // when
        int status = http.delete("/api/v1/jobs/" + batch.get("job_id").asString(), ADMIN_KEY).status();

        // then
        assertThat(status).isEqualTo(204);
        assertThat(outcomeRows(batchId)).isZero();
    }

    /** Records with an outcome kept, counted through the runs. */
    private long outcomeRows(String batchId) {
        return jdbc.sql("SELECT COALESCE(SUM(last_idx - first_idx + 1), 0) FROM record_outcome_runs WHERE batch_id = :id")
                .param("id", batchId).query(Long.class).single();
    }

    @Test
    void import_with_update_changes_only_mapped_columns() {
        // given a1 with name, price and qty
        String dataset = productsWith("a1", "Old", "1.00");
        put(dataset, "a1", "{\"name\":\"Old\",\"price\":\"1.00\",\"qty\":3,\"active\":true}");

        // when a file maps only sku and price (default import type: update)
        JsonNode batch = importFile(dataset, "{\"source\":{\"headers\":true,\"mappings\":[{\"sku\":\"SKU\"},"
                + "{\"price\":\"Cost\"}]}}", "SKU,Cost,Name\na1,12.50,Ignored\nc3,0.10,Ignored\n");

        // then only price changed on a1; c3 is new with only the mapped columns
        assertCounts(batch, 2, 2, 0, 0);
        JsonNode a1 = record(dataset, "a1");
        assertThat(a1.get("price").asString()).isEqualTo("12.50");
        assertThat(a1.get("name").asString()).isEqualTo("Old");
        assertThat(a1.get("qty").asLong()).isEqualTo(3);
        assertThat(a1.get("active").asBoolean()).isTrue();
        JsonNode c3 = record(dataset, "c3");
        assertThat(c3.get("price").asString()).isEqualTo("0.10");
        assertThat(isNull(c3, "name")).isTrue();
    }

    @Test
    void import_with_replace_nulls_unmapped_columns() {
        // given
        String dataset = productsWith("a1", "Old", "1.00");
        put(dataset, "a1", "{\"name\":\"Old\",\"price\":\"1.00\",\"qty\":3,\"active\":true}");

        // when only sku and name are mapped, with replace
        JsonNode batch = importFile(dataset, "{\"importType\":\"replace\",\"source\":{\"headers\":true,"
                + "\"mappings\":[{\"sku\":\"sku\"},{\"name\":\"name\"}]}}", "sku,name,price\na1,Fresh,5.00\n");

        // then name is replaced and every unmapped column is null
        assertCounts(batch, 1, 1, 0, 0);
        JsonNode a1 = record(dataset, "a1");
        assertThat(a1.get("name").asString()).isEqualTo("Fresh");
        assertThat(isNull(a1, "price")).isTrue();
        assertThat(isNull(a1, "qty")).isTrue();
        assertThat(isNull(a1, "active")).isTrue();
    }

    // ---- failures and thresholds ----

    @Test
    void bad_rows_fail_with_their_error_and_zero_based_index() {
        // given
        String dataset = products();

        // when records 1 and 3 have a bad decimal and a missing key
        JsonNode batch = importFile(dataset, "{\"source\":{\"headers\":true}}",
                "sku,name,price,qty,active,since\n"
                        + "a1,Ann,1.50,1,yes,2026-01-02\n"
                        + "a2,Bob,cheap,2,no,2026-01-03\n"
                        + "a3,Cy,3,3,true,2026-01-04\n"
                        + ",Dee,4,4,false,2026-01-05\n"
                        + "a5,Eve,5,five,true,2026-01-06\n");

        // then
        assertCounts(batch, 5, 2, 3, 0);
        assertThat(outcomes(batch, "failed")).containsExactly("1:failed", "3:failed", "4:failed");
        JsonNode failed = http.get(outcomesPath(batch) + "?outcome=failed", ADMIN_KEY).json().get("items");
        assertThat(failed.get(0).get("error").asString()).isEqualTo("price: 'cheap' is not a valid decimal");
        assertThat(failed.get(1).get("error").asString()).isEqualTo("'sku' is required");
        assertThat(failed.get(2).get("error").asString()).isEqualTo("qty: 'five' is not a valid integer");
        assertThat(record(dataset, "a3").get("since").asString()).isEqualTo("2026-01-04");
        assertThat(record(dataset, "a1").get("active").asBoolean()).isTrue();
        assertThat(http.get("/api/v1/datasets/" + dataset + "/records/a2", ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void a_decimal_with_a_huge_exponent_fails_its_record_and_is_never_written_out() {
        // given
        String dataset = products();

        // when one record's price is 1e999999 (a million digits written out) and another's is at the bound
        JsonNode batch = importFile(dataset, "{\"source\":{\"headers\":true}}",
                "sku,name,price\n"
                        + "a1,Ann,1e999999\n"
                        + "a2,Bob,1e999\n"
                        + "a3,Cy,-1e-999999\n");

        // then the huge ones fail with a reason, the other is stored, and a PUT of the same value answers 400
        assertCounts(batch, 3, 1, 2, 0);
        JsonNode failed = http.get(outcomesPath(batch) + "?outcome=failed", ADMIN_KEY).json().get("items");
        assertThat(failed.get(0).get("index").asLong()).isZero();
        assertThat(failed.get(0).get("error").asString()).isEqualTo("price: '1e999999' is not a valid decimal: "
                + "use at most 1000 digits before the point and 1000 after it");
        assertThat(failed.get(1).get("index").asLong()).isEqualTo(2);
        assertThat(record(dataset, "a2").get("price").asString()).isEqualTo("1" + "0".repeat(999));
        Http.Response put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/datasets/" + dataset + "/records/a4")).header("x-api-key", ADMIN_KEY)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"price\":\"1e999999\"}")));
        assertThat(put.status()).as(put.text()).isEqualTo(400);
        assertThat(put.json().get("detail").asString()).startsWith("price: '1e999999' is not a valid decimal");
        assertThat(http.get("/api/v1/datasets/" + dataset + "/records/a4", ADMIN_KEY).status()).isEqualTo(404);
    }

    @Test
    void threshold_exceeded_leaves_the_dataset_exactly_as_it_was() {
        // given a dataset with two records
        String dataset = productsWith("a1", "Old", "1.00");
        put(dataset, "b2", "{\"name\":\"Bee\",\"price\":\"2.00\",\"qty\":2}");
        String before = http.get("/api/v1/datasets/" + dataset + "/records?limit=200", ADMIN_KEY).text();

        // when 2 of 4 records fail and the threshold is 1
        JsonNode batch = importFile(dataset, "{\"importType\":\"replace\",\"errorThreshold\":1,"
                + "\"source\":{\"headers\":true}}", "sku,name,price\na1,New,x\nb2,Changed,2.50\nc3,Sea,y\nd4,D,4\n");

        // then the batch failed, nothing changed and no outcome of a change was kept
        assertThat(batch.get("status").asString()).isEqualTo("failed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("error_threshold_exceeded");
        assertThat(batch.get("error").get("message").asString()).startsWith("2 of 4 records failed")
                .contains("the dataset was not changed").contains("record 0: price: 'x' is not a valid decimal");
        assertThat(batch.get("records").get("failed").asLong()).isEqualTo(2);
        assertThat(batch.get("records").get("completed").asLong()).isZero();
        // the two good records were staged but never applied: ignored, so the counters add up
        assertThat(batch.get("records").get("ignored").asLong()).isEqualTo(2);
        assertThat(batch.get("records").get("processed").asLong()).isEqualTo(4);
        assertThat(http.get("/api/v1/datasets/" + dataset + "/records?limit=200", ADMIN_KEY).text()).isEqualTo(before);
        assertThat(outcomes(batch, null)).isEmpty();
    }

    @Test
    void dataset_deleted_mid_import_fails_the_batch_with_counters_that_add_up() {
        // given an import of 400 records in chunks of 2, some of them processed
        String dataset = products();
        StringBuilder csv = new StringBuilder("sku,price\n");
        for (int i = 0; i < 400; i++) {
            csv.append("s").append(i).append(',').append(i % 50 == 0 ? "bad" : "1.50").append('\n');
        }
        String jobId = createJob("{\"dataset\":\"" + dataset + "\",\"source\":{\"headers\":true}}").json()
                .get("id").asString();
        String batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "data.csv",
                csv.toString().getBytes(StandardCharsets.UTF_8)).json().get("id").asString();
        Await.until("records of batch " + batchId + " processed", () -> Batches.get(http, ADMIN_KEY, jobId, batchId)
                .get("records").get("processed").asLong() > 0);

        // when the dataset is deleted while the import runs
        assertThat(http.delete("/api/v1/datasets/" + dataset, ADMIN_KEY).status()).isEqualTo(204);
        JsonNode batch = awaitFinal(jobId, batchId);

        // then the batch failed for that reason, and every processed record has exactly one outcome
        assertThat(batch.get("status").asString()).isEqualTo("failed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("dataset_not_found");
        JsonNode records = batch.get("records");
        assertThat(records.get("processed").asLong()).isEqualTo(400);
        assertThat(records.get("completed").asLong()).isZero();
        assertThat(records.get("completed").asLong() + records.get("failed").asLong() + records.get("ignored").asLong())
                .as(records.toString()).isEqualTo(400);
        JsonNode job = http.get("/api/v1/jobs/" + jobId, ADMIN_KEY).json().get("records");
        assertThat(job.get("failed").asLong() + job.get("ignored").asLong()).isEqualTo(400);
    }

    @Test
    void percent_threshold_refuses_above_and_accepts_at_or_below() {
        // given a 4-record file with 1 failure: 25%
        String dataset = products();
        String file = "sku,price\na1,1\na2,bad\na3,3\na4,4\n";

        // when imported under 20% and under 25%
        JsonNode refused = importFile(dataset, "{\"errorThreshold\":\"20%\",\"source\":{\"headers\":true}}", file);
        JsonNode accepted = importFile(dataset, "{\"error_threshold\":\"25%\",\"source\":{\"headers\":true}}", file);

        // then
        assertThat(refused.get("status").asString()).isEqualTo("failed");
        assertThat(refused.get("error").get("code").asString()).isEqualTo("error_threshold_exceeded");
        assertCounts(accepted, 4, 3, 1, 0);
        assertThat(count(dataset)).isEqualTo(3);
    }

    @Test
    void job_creation_refuses_bad_import_options_with_400() {
        String dataset = products();

        assertThat(createJob("{\"dataset\":\"" + dataset + "\",\"source\":{\"mappings\":[{\"colour\":0}]}}")
                .json().get("detail").asString()).contains("'colour'", "not a column");
        assertThat(createJob("{\"dataset\":\"no_such_dataset\"}").status()).isEqualTo(400);
        assertThat(createJob("{\"dataset\":\"" + dataset + "\",\"importType\":\"merge\"}").status()).isEqualTo(400);
        assertThat(createJob("{\"dataset\":\"" + dataset + "\",\"errorThreshold\":\"100%\"}").status()).isEqualTo(400);
        assertThat(createJob("{\"dataset\":\"" + dataset + "\",\"source\":{\"separator\":\":\"}}").status())
                .isEqualTo(400);
        assertThat(createJob("{\"dataset\":\"" + dataset + "\",\"source\":{\"mappings\":[{\"sku\":\"SKU\"}]}}")
                .status()).isEqualTo(400);
        assertThat(createJob("{}").status()).isEqualTo(400);
    }

    // ---- file shapes ----

    @Test
    void duplicates_in_one_file_last_wins_for_update_and_first_wins_for_ignore() {
        // given
        String updated = products();
        String ignored = products();
        String file = "sku,name\na1,first\nb2,only\na1,second\na1,third\n";

        // when
        JsonNode update = importFile(updated, "{\"source\":{\"headers\":true}}", file);
        JsonNode ignore = importFile(ignored, "{\"importType\":\"ignore\",\"source\":{\"headers\":true}}", file);

        // then (into the empty datasets the load straight in met the repeat and was undone: nothing of it stays)
        assertCounts(update, 4, 2, 0, 2);
        assertThat(keys(updated, "sku")).containsExactlyInAnyOrder("a1", "b2");
        assertThat(keys(ignored, "sku")).containsExactlyInAnyOrder("a1", "b2");
        assertThat(record(updated, "a1").get("name").asString()).isEqualTo("third");
        assertThat(outcomes(update, null)).containsExactly("0:ignored", "1:completed", "2:ignored", "3:completed");
        assertCounts(ignore, 4, 2, 0, 2);
        assertThat(record(ignored, "a1").get("name").asString()).isEqualTo("first");
        assertThat(outcomes(ignore, null)).containsExactly("0:completed", "1:completed", "2:ignored", "3:ignored");
    }

    @Test
    void headerless_file_with_index_mappings_and_a_pipe_separator() {
        // given
        String dataset = products();

        // when column 2 is the key, 0 the name, with '|' between fields holding commas
        JsonNode batch = importFile(dataset, "{\"importType\":\"replace\",\"source\":{\"headers\":false,"
                + "\"separator\":\"|\",\"mappings\":[{\"sku\":2},{\"name\":0},{\"qty\":1}]}}",
                "Smith, Ann|7|k1\nJones, Bob|8|k2\nLee, Cy||k3\n");

        // then
        assertCounts(batch, 3, 3, 0, 0);
        assertThat(record(dataset, "k1").get("name").asString()).isEqualTo("Smith, Ann");
        assertThat(record(dataset, "k2").get("qty").asLong()).isEqualTo(8);
        assertThat(isNull(record(dataset, "k3"), "qty")).isTrue();
    }

    @Test
    void headerless_file_without_mappings_fills_columns_in_dataset_order() {
        String dataset = products();

        JsonNode batch = importFile(dataset, "{}", "z9,Zed,9.90,9,f,2026-02-03\n");

        assertCounts(batch, 1, 1, 0, 0);
        JsonNode z9 = record(dataset, "z9");
        assertThat(z9.get("price").asString()).isEqualTo("9.90");
        assertThat(z9.get("active").asBoolean()).isFalse();
        assertThat(z9.get("since").asString()).isEqualTo("2026-02-03");
    }

    @Test
    void outcomes_page_by_cursor_and_are_scoped_to_the_account() {
        // given 5 records
        String dataset = products();
        JsonNode batch = importFile(dataset, "{}", "a\nb\nc\nd\ne\n");

        // when read two at a time
        JsonNode first = http.get(outcomesPath(batch) + "?limit=2", ADMIN_KEY).json();
        JsonNode second = http.get(outcomesPath(batch) + "?limit=2&cursor=" + first.get("next_cursor").asString(),
                ADMIN_KEY).json();
        String otherKey = Tenant.create(http, ADMIN_KEY, "other").key();

        // then
        assertThat(first.get("items").get(0).get("index").asLong()).isZero();
        assertThat(second.get("items").get(0).get("index").asLong()).isEqualTo(2);
        assertThat(second.get("next_cursor").asString()).isEqualTo("3");
        assertThat(http.get(outcomesPath(batch), otherKey).status()).isEqualTo(404);
        assertThat(http.get(outcomesPath(batch) + "?outcome=odd", ADMIN_KEY).status()).isEqualTo(400);
    }

    @Test
    void every_column_type_is_stored_as_a_record_put_stores_it() {
        // given a dataset with one column of each type
        String dataset = dataset("typed", "k:string", "n:integer", "d:decimal", "b:boolean", "day:date", "at:timestamp",
                "mail:email");
        put(dataset, "byput", "{\"n\":-7,\"d\":\"0.50\",\"b\":true,\"day\":\"2026-01-02\","
                + "\"at\":\"2026-01-02T03:04:05+02:00\",\"mail\":\"Ann@Example.com\"}");

        // when the same values, written as a file would, and a row of blanks are imported
        JsonNode batch = importFile(dataset, "{\"source\":{\"headers\":true}}",
                "k,n,d,b,day,at,mail\nbyfile,-7,0.50,yes,2026-01-02,2026-01-02T03:04:05+02:00,Ann@Example.com\nblank,,,,,,\n");

        // then the imported record reads back exactly as the one written by PUT, and blanks are nulls
        assertCounts(batch, 2, 2, 0, 0);
        JsonNode byPut = record(dataset, "byput");
        JsonNode byFile = record(dataset, "byfile");
        for (String column : List.of("n", "d", "b", "day", "at", "mail")) {
            assertThat(byFile.get(column)).as(column).isEqualTo(byPut.get(column));
        }
        assertThat(byFile.get("at").asString()).startsWith("2026-01-02T01:04:05");
        JsonNode blank = record(dataset, "blank");
        for (String column : List.of("n", "d", "b", "day", "at", "mail")) {
            assertThat(isNull(blank, column)).as(column).isTrue();
        }
    }

    @Test
    void outcomes_are_kept_as_runs_and_page_across_their_edges() {
        // given a dataset holding e5, and a file whose record 3 has a bad price and record 5 an existing key
        String dataset = productsWith("e5", "Old", "1.00");
        JsonNode batch = importFile(dataset, "{\"importType\":\"ignore\",\"source\":{\"headers\":true}}",
                "sku,price\na0,1\na1,1\na2,1\na3,cheap\na4,1\ne5,1\na6,1\na7,1\na8,1\n");
        assertCounts(batch, 9, 7, 1, 1);

        // when the outcomes are read two at a time, all of them and the completed ones only
        List<String> pages = new ArrayList<>();
        List<String> completedPages = new ArrayList<>();
        for (String kind : new String[] {"", "&outcome=completed"}) {
            String cursor = "";
            do {
                JsonNode page = http.get(outcomesPath(batch) + "?limit=2" + kind + cursor, ADMIN_KEY).json();
                List<String> items = new ArrayList<>();
                page.get("items").forEach(i -> items.add(i.get("index").asLong() + ":" + i.get("outcome").asString()));
                (kind.isEmpty() ? pages : completedPages).add(String.join(" ", items));
                JsonNode next = page.get("next_cursor");
                cursor = next == null || next.isNull() ? null : "&cursor=" + next.asString();
            } while (cursor != null);
        }

        // then every record has its outcome in order, though only the runs are stored: 0-2, 3, 4, 5, 6-8
        assertThat(pages).containsExactly("0:completed 1:completed", "2:completed 3:failed", "4:completed 5:ignored",
                "6:completed 7:completed", "8:completed");
        assertThat(completedPages).containsExactly("0:completed 1:completed", "2:completed 4:completed",
                "6:completed 7:completed", "8:completed");
        assertThat(outcomeRows(batch.get("id").asString())).isEqualTo(9);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM record_outcome_runs WHERE batch_id = :id")
                .param("id", batch.get("id").asString()).query(Long.class).single()).isEqualTo(5);
    }

    // ---- into an empty dataset ----

    @Test
    void an_import_into_an_empty_dataset_stores_the_records_in_file_order_with_their_outcome_runs() {
        // given an empty dataset, and a file whose record 2 has a bad price
        String dataset = products();

        // when
        JsonNode batch = importFile(dataset, "{\"source\":{\"headers\":true}}",
                "sku,price\nc3,1\na1,2\nb2,cheap\nd4,3\ne5,4.50\n");

        // then the good records are stored in file order, and the outcomes kept as three runs
        assertCounts(batch, 5, 4, 1, 0);
        assertThat(keys(dataset, "sku")).containsExactly("c3", "a1", "d4", "e5");
        assertThat(record(dataset, "e5").get("price").asString()).isEqualTo("4.50");
        assertThat(outcomes(batch, null)).containsExactly("0:completed", "1:completed", "2:failed", "3:completed",
                "4:completed");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM record_outcome_runs WHERE batch_id = :id")
                .param("id", batch.get("id").asString()).query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void a_bulk_load_of_many_rows_keeps_every_row_its_values_and_the_file_order() {
        // given an empty dataset, and 133 records in descending key order (SQLite inserts them 50 to a statement:
        // two full statements, then 33 one by one)
        String dataset = products();
        StringBuilder csv = new StringBuilder("sku,name,price,qty,active,since\n");
        for (int i = 133; i >= 1; i--) {
            csv.append(String.format("k%03d,\"Name, %d\",%d.25,%d,%s,2026-01-%02d%n", i, i, i, i, i % 2 == 0,
                    i % 28 + 1));
        }

        // when it is imported, and then again with every price changed (through the staging table)
        JsonNode first = importFile(dataset, "{\"source\":{\"headers\":true}}", csv.toString());
        JsonNode again = importFile(dataset, "{\"importType\":\"update\",\"source\":{\"headers\":true}}",
                csv.toString().replace(".25,", ".75,"));

        // then every record is stored once, in file order, each with its own values
        assertCounts(first, 133, 133, 0, 0);
        assertCounts(again, 133, 133, 0, 0);
        List<String> keys = keys(dataset, "sku");
        assertThat(keys).hasSize(133);
        assertThat(keys.getFirst()).isEqualTo("k133");
        assertThat(keys.get(50)).isEqualTo("k083");
        assertThat(keys.get(100)).isEqualTo("k033");
        assertThat(keys.getLast()).isEqualTo("k001");
        for (int i : new int[] {133, 84, 83, 34, 33, 1}) {
            JsonNode record = record(dataset, String.format("k%03d", i));
            assertThat(record.get("name").asString()).isEqualTo("Name, " + i);
            assertThat(record.get("price").asString()).isEqualTo(i + ".75");
            assertThat(record.get("qty").asLong()).isEqualTo(i);
            assertThat(record.get("active").asBoolean()).isEqualTo(i % 2 == 0);
            assertThat(record.get("since").asString()).isEqualTo(String.format("2026-01-%02d", i % 28 + 1));
        }
    }

    @Test
    void a_key_of_two_columns_is_one_key_only_when_both_match() {
        // given an empty dataset keyed by (a, b)
        String name = "pairs_" + NAMES.incrementAndGet();
        Http.Response created = http.postJson("/api/v1/datasets", ADMIN_KEY, "{\"name\":\"" + name + "\",\"columns\":["
                + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"integer\"},"
                + "{\"name\":\"v\",\"type\":\"string\"}],\"key\":[\"a\",\"b\"]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);

        // when a file has (x, 12) and (x1, 2), whose texts run together alike, and (x, 1) twice, once as 01
        JsonNode batch = importFile(name, "{\"source\":{\"headers\":true}}", "a,b,v\nx,12,p\nx1,2,q\nx,1,r\nx,01,s\n");

        // then the later (x, 1) wins and the others are records of their own
        assertCounts(batch, 4, 3, 0, 1);
        assertThat(outcomes(batch, null)).containsExactly("0:completed", "1:completed", "2:ignored", "3:completed");
        assertThat(keys(name, "v")).containsExactly("p", "q", "s");
    }

    @Test
    void decimal_keys_equal_as_numbers_are_one_key_where_the_database_compares_numbers() {
        // given an empty dataset keyed by a decimal
        String dataset = dataset("prices", "price:decimal", "label:string");

        // when 1.5 and 1.50 are both in the file
        JsonNode batch = importFile(dataset, "{\"source\":{\"headers\":true}}", "price,label\n1.5,first\n1.50,second\n2,other\n");

        // then the batch completes, its counts agree with the dataset, and PostgreSQL (exact numbers) keeps one
        // record for both while SQLite (decimals stored as their text) keeps two
        JsonNode records = batch.get("records");
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        assertThat(records.get("completed").asLong() + records.get("ignored").asLong()).isEqualTo(3);
        assertThat(count(dataset)).isEqualTo(records.get("completed").asLong());
        assertThat(records.get("completed").asLong()).isEqualTo(database == TestDatabase.POSTGRESQL ? 2 : 3);
    }

    // ---- source.uri ----

    @Test
    void source_uri_is_fetched_with_basic_auth_from_the_uri() throws IOException {
        // given a loopback HTTP server that wants user:secret
        String dataset = products();
        List<String> authorizations = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/data.csv", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(auth));
            boolean ok = ("Basic " + Base64.getEncoder().encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8)))
                    .equals(auth);
            byte[] body = (ok ? "sku;name\nu1;Uri one\nu2;Uri two\n" : "denied").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String uri = "http://user:s3cret@127.0.0.1:" + server.getAddress().getPort() + "/data.csv";

            // when the job names it as its source
            JsonNode job = createJob("{\"dataset\":\"" + dataset + "\",\"source\":{\"headers\":true,"
                    + "\"separator\":\";\",\"uri\":\"" + uri + "\"}}").json();
            JsonNode batch = awaitFinal(job.get("id").asString(), onlyBatch(job.get("id").asString()));

            // then
            assertCounts(batch, 2, 2, 0, 0);
            assertThat(authorizations).hasSize(1);
            assertThat(record(dataset, "u2").get("name").asString()).isEqualTo("Uri two");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void private_source_uri_is_refused_without_an_allow_entry() {
        String dataset = products();

        JsonNode job = createJob("{\"dataset\":\"" + dataset + "\",\"source\":{\"uri\":\"http://10.20.30.40/x.csv\"}}")
                .json();
        JsonNode batch = awaitFinal(job.get("id").asString(), onlyBatch(job.get("id").asString()));

        assertThat(batch.get("status").asString()).isEqualTo("failed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("source_not_allowed");
        assertThat(count(dataset)).isZero();
    }

    // ---- helpers ----

    /** A new dataset: sku (key), name, price decimal, qty integer, active boolean, since date. */
    String products() {
        return dataset("products", "sku:string", "name:string", "price:decimal", "qty:integer", "active:boolean",
                "since:date");
    }

    /** A new dataset named {@code prefix_N} of {@code name:type} columns; the first is the key, and required. */
    String dataset(String prefix, String... columns) {
        String name = prefix + "_" + NAMES.incrementAndGet();
        List<String> specs = new ArrayList<>();
        for (String column : columns) {
            String[] nameAndType = column.split(":");
            specs.add("{\"name\":\"" + nameAndType[0] + "\",\"type\":\"" + nameAndType[1] + "\",\"required\":"
                    + specs.isEmpty() + "}");
        }
        Http.Response created = http.postJson("/api/v1/datasets", ADMIN_KEY, "{\"name\":\"" + name + "\",\"columns\":["
                + String.join(",", specs) + "],\"key\":[\"" + columns[0].split(":")[0] + "\"]}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return name;
    }

    String productsWith(String sku, String name, String price) {
        String dataset = products();
        put(dataset, sku, "{\"name\":\"" + name + "\",\"price\":\"" + price + "\"}");
        return dataset;
    }

    void put(String dataset, String key, String json) {
        Http.Response response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v1/datasets/" + dataset + "/records/" + key)).header("x-api-key", ADMIN_KEY)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    JsonNode record(String dataset, String key) {
        Http.Response response = http.get("/api/v1/datasets/" + dataset + "/records/" + key, ADMIN_KEY);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    /** The values of {@code column} of every record, in the order the records were stored. */
    List<String> keys(String dataset, String column) {
        List<String> values = new ArrayList<>();
        http.get("/api/v1/datasets/" + dataset + "/records?limit=200", ADMIN_KEY).json().get("items")
                .forEach(item -> values.add(item.get(column).asString()));
        return values;
    }

    long count(String dataset) {
        return http.get("/api/v1/datasets/" + dataset + "/records?limit=200", ADMIN_KEY).json().get("items").size();
    }

    static boolean isNull(JsonNode record, String field) {
        return record.get(field) == null || record.get(field).isNull();
    }

    Http.Response createJob(String options) {
        return http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"import\",\"operation\":\"import\",\"options\":"
                + options + "}");
    }

    /** Creates an import job with {@code options} plus the dataset, uploads {@code csv}, waits for the end. */
    JsonNode importFile(String dataset, String options, String csv) {
        String withDataset = "{\"dataset\":\"" + dataset + "\"" + (options.equals("{}") ? "}" : "," + options.substring(1));
        Http.Response job = createJob(withDataset);
        assertThat(job.status()).as(job.text()).isEqualTo(201);
        String jobId = job.json().get("id").asString();
        Http.Response batch = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "data.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(batch.status()).as(batch.text()).isEqualTo(201);
        return awaitFinal(jobId, batch.json().get("id").asString());
    }

    String onlyBatch(String jobId) {
        JsonNode items = Await.until("a batch of job " + jobId,
                () -> http.get("/api/v1/jobs/" + jobId + "/batches", ADMIN_KEY).json().get("items"),
                found -> found != null && !found.isEmpty());
        return items.get(0).get("id").asString();
    }

    static void assertCounts(JsonNode batch, long total, long completed, long failed, long ignored) {
        assertThat(batch.get("status").asString()).as(batch.toString()).isEqualTo("completed");
        JsonNode records = batch.get("records");
        assertThat(records.get("total").asLong()).isEqualTo(total);
        assertThat(records.get("processed").asLong()).isEqualTo(total);
        assertThat(records.get("completed").asLong()).isEqualTo(completed);
        assertThat(records.get("failed").asLong()).isEqualTo(failed);
        assertThat(records.get("ignored").asLong()).isEqualTo(ignored);
    }

    String outcomesPath(JsonNode batch) {
        return "/api/v1/jobs/" + batch.get("job_id").asString() + "/batches/" + batch.get("id").asString() + "/outcomes";
    }

    /** Every outcome of the batch as {@code index:outcome}, optionally of one kind. */
    List<String> outcomes(JsonNode batch, String outcome) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            String query = "?limit=1000" + (outcome == null ? "" : "&outcome=" + outcome)
                    + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = http.get(outcomesPath(batch) + query, ADMIN_KEY).json();
            page.get("items").forEach(i -> all.add(i.get("index").asLong() + ":" + i.get("outcome").asString()));
            JsonNode next = page.get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return all;
    }

    JsonNode awaitFinal(String jobId, String batchId) {
        return Batches.awaitFinal(http, ADMIN_KEY, jobId, batchId);
    }
}
