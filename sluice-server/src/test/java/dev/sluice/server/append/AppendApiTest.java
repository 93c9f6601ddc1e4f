package dev.sluice.server.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.core.append.MatchKey;
import dev.sluice.core.append.Normalizer.Rule;
import dev.sluice.server.dataset.Dataset;
import dev.sluice.server.dataset.DatasetStore;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append operation end to end over real HTTP: a dataset made through the API, an append job, a file
 * uploaded by multipart, the result downloaded and read cell by cell. The same contract on every store
 * (one run per {@link TestDatabase}). Chunks are 1,000 records, so the larger file is processed by several chunks that
 * share one match index.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class AppendApiTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_append_tests";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String PEOPLE = """
            {"name":"%s","columns":[
              {"name":"first_name","type":"string"},{"name":"last_name","type":"string"},
              {"name":"address","type":"string"},{"name":"zip","type":"string"},{"name":"email","type":"email"}],
             "key":["first_name","last_name","zip"]}""";

    private static final String MATCH = "\"match\":[\"first_name\",\"last_name\",\"address\",\"zip\"]";
    private static final List<String> ADDRESS_MATCH = List.of("first_name", "last_name", "address", "zip");
    private static final MatchKey ADDRESS_KEY = new MatchKey(List.of(Rule.GENERIC, Rule.GENERIC, Rule.ADDRESS, Rule.ZIP));

    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    @Autowired
    AppendIndexStore indexes;

    @Autowired
    DatasetStore datasetStore;

    @Autowired
    JdbcClient jdbc;

    Http http;

    static Map<String, String> properties() {
        return TestServer.offline(ADMIN_KEY,
                Map.entry("sluice.job.chunk-size", "1000"));
    }

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database) {
        server = TestServer.start(database, properties());
    }

    @AfterParameterizedClassInvocation
    static void stop_server() {
        server.close();
    }

    @BeforeEach
    void client() {
        server.inject(this);
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void append_adds_the_email_with_exact_normalized_and_none_match_codes() {
        // given a dataset of three people
        String dataset = newPeople();
        putPerson(dataset, "John", "Smith", "123 Main Street", "12345", "john.smith@example.com");
        putPerson(dataset, "Ann", "Lee", "45 Oak Avenue Apartment 4", "02134", "ann.lee@example.net");
        putPerson(dataset, "Bob", "Stone", "9 Park Drive", "54321", "bob@example.org");
        String jobId = createJob(dataset, "csv", MATCH + ",\"fields\":[\"email\"]");
        // and a file whose columns are in another order, with columns the dataset does not have
        String file = """
                id,zip,last_name,first_name,address,note
                1,12345,Smith,John,123 Main Street,as stored
                2,12345-6789,smith,JOHN,123 main st.,"zip+4, case, abbreviation"
                3,2134,LEE,ann,"45 Oak Ave., #4",lost zero and unit
                4,54321,Stone,Bob,10 Park Drive,other house
                5,99999,Nobody,Zed,1 Nowhere Rd,unknown
                6,  12345 ,SMITH,john, 123 MAIN STREET ,only case and spaces
                7,,,,,blank keys
                """;

        // when
        String batchId = upload(jobId, file);
        JsonNode batch = awaitFinal(jobId, batchId);

        // then
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        JsonNode records = batch.get("records");
        assertThat(records.get("total").asLong()).isEqualTo(7);
        assertThat(records.get("processed").asLong()).isEqualTo(7);
        assertThat(records.get("completed").asLong()).isEqualTo(4);
        assertThat(records.get("failed").asLong()).isZero();
        assertThat(records.get("ignored").asLong()).isEqualTo(3);
        List<CsvRecord> rows = csv(download(jobId, batchId));
        assertThat(rows.getFirst().getFields())
                .containsExactly("id", "zip", "last_name", "first_name", "address", "note", "email", "sluice_match");
        assertThat(rows).hasSize(8);
        assertThat(rows.get(1).getFields()).containsExactly("1", "12345", "Smith", "John", "123 Main Street",
                "as stored", "john.smith@example.com", "exact");
        assertThat(rows.get(2).getFields()).containsExactly("2", "12345-6789", "smith", "JOHN", "123 main st.",
                "zip+4, case, abbreviation", "john.smith@example.com", "normalized");
        assertThat(rows.get(3).getFields()).containsExactly("3", "2134", "LEE", "ann", "45 Oak Ave., #4",
                "lost zero and unit", "ann.lee@example.net", "normalized");
        assertThat(rows.get(4).getFields()).containsExactly("4", "54321", "Stone", "Bob", "10 Park Drive",
                "other house", "", "none");
        assertThat(rows.get(5).getFields()).containsExactly("5", "99999", "Nobody", "Zed", "1 Nowhere Rd", "unknown",
                "", "none");
        assertThat(rows.get(6).getFields()).containsExactly("6", "  12345 ", "SMITH", "john", " 123 MAIN STREET ",
                "only case and spaces", "john.smith@example.com", "exact");
        assertThat(rows.get(7).getFields()).containsExactly("7", "", "", "", "", "blank keys", "", "none");
        JsonNode job = http.get("/api/v1/jobs/" + jobId, ADMIN_KEY).json();
        assertThat(job.get("records").get("completed").asLong()).isEqualTo(4);
        assertThat(job.get("records").get("ignored").asLong()).isEqualTo(3);
        // and the batch's match index is gone
        assertThat(indexes.exists(AppendIndexStore.tableName(batchId))).isFalse();
    }

    @Test
    void match_map_and_json_output_keep_input_columns_and_rename_a_colliding_field() {
        // given an input naming the last name "surname" and holding an email column of its own
        String dataset = newPeople();
        putPerson(dataset, "John", "Smith", "123 Main Street", "12345", "john.smith@example.com");
        String jobId = createJob(dataset, "json", MATCH + ",\"match_map\":{\"surname\":\"last_name\"},"
                + "\"fields\":[\"email\",\"address\"]");
        String file = "email,first_name,surname,address,zip\n,john,smith,123 Main St,12345-0001\nx@example.com,Jane,"
                + "Doe,1 Elm St,12345\n";

        // when
        String batchId = upload(jobId, file);
        JsonNode batch = awaitFinal(jobId, batchId);

        // then
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        JsonNode rows = JSON.readTree(download(jobId, batchId));
        assertThat(rows).hasSize(2);
        List<String> keys = new ArrayList<>(rows.get(0).propertyNames());
        assertThat(keys).containsExactly("email", "first_name", "surname", "address", "zip", "email_2", "address_2",
                "sluice_match");
        assertThat(rows.get(0).get("email").asString()).isEmpty();
        assertThat(rows.get(0).get("email_2").asString()).isEqualTo("john.smith@example.com");
        assertThat(rows.get(0).get("address_2").asString()).isEqualTo("123 Main Street");
        assertThat(rows.get(0).get("sluice_match").asString()).isEqualTo("normalized");
        assertThat(rows.get(1).get("email").asString()).isEqualTo("x@example.com");
        assertThat(rows.get(1).get("email_2").asString()).isEmpty();
        assertThat(rows.get(1).get("sluice_match").asString()).isEqualTo("none");
    }

    @Test
    void a_file_of_several_chunks_matches_every_record_against_one_index() {
        // given 150 people and 2,500 records, every 10th of which names one of them in another spelling
        String dataset = newPeople();
        for (int p = 0; p < 150; p++) {
            putPerson(dataset, "First" + p, "Last" + p, p + " North Main Street", String.format("%05d", 10000 + p),
                    "person" + p + "@example.com");
        }
        String jobId = createJob(dataset, "ndjson", MATCH + ",\"fields\":[\"email\"]");
        StringBuilder file = new StringBuilder("first_name,last_name,address,zip\n");
        long expectedMatches = 0;
        for (int i = 0; i < 2_500; i++) {
            int p = i / 10;
            if (i % 10 == 0 && p < 150) {
                file.append("FIRST").append(p).append(",last").append(p).append(',').append(p).append(" N. Main St,")
                        .append(10000 + p).append("-1234\n");
                expectedMatches++;
            } else {
                file.append("Other").append(i).append(",Person,1 Elm St,99999\n");
            }
        }

        // when
        String batchId = upload(jobId, file.toString());
        JsonNode batch = awaitFinal(jobId, batchId);

        // then
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        assertThat(batch.get("chunks").get("total").asInt()).isEqualTo(3);
        assertThat(batch.get("records").get("completed").asLong()).isEqualTo(expectedMatches).isEqualTo(150);
        assertThat(batch.get("records").get("ignored").asLong()).isEqualTo(2_350);
        List<String> lines = new String(download(jobId, batchId), StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2_500);
        assertThat(lines.get(1_490)).contains("\"first_name\":\"FIRST149\"")
                .contains("\"email\":\"person149@example.com\"").contains("\"sluice_match\":\"normalized\"");
        assertThat(lines.get(1_500)).contains("\"sluice_match\":\"none\"");
        assertThat(indexes.exists(AppendIndexStore.tableName(batchId))).isFalse();
    }

    @Test
    void a_file_without_a_match_column_fails_the_batch_with_missing_column() {
        String dataset = newPeople();
        putPerson(dataset, "John", "Smith", "123 Main Street", "12345", "john.smith@example.com");
        String jobId = createJob(dataset, "csv", MATCH + ",\"fields\":[\"email\"]");

        String batchId = upload(jobId, "first_name,last_name,address\nJohn,Smith,123 Main Street\n");
        JsonNode batch = awaitFinal(jobId, batchId);

        assertThat(batch.get("status").asString()).isEqualTo("failed");
        assertThat(batch.get("error").get("code").asString()).isEqualTo("missing_column");
        assertThat(batch.get("error").get("message").asString()).contains("zip");
    }

    @Test
    void bad_append_options_answer_400_with_a_reason() {
        String dataset = newPeople();
        String fields = ",\"fields\":[\"email\"]";

        assertBadOptions("{" + MATCH + fields + "}", "options.dataset");
        assertBadOptions("{\"dataset\":\"no_such_dataset\"," + MATCH + fields + "}", "no dataset named");
        assertBadOptions("{\"dataset\":\"" + dataset + "\"" + fields + "}", "options.match");
        assertBadOptions("{\"dataset\":\"" + dataset + "\"," + MATCH + "}", "options.fields");
        assertBadOptions("{\"dataset\":\"" + dataset + "\"," + MATCH + ",\"fields\":[]}", "options.fields");
        assertBadOptions("{\"dataset\":\"" + dataset + "\",\"match\":[\"phone\"]" + fields + "}", "'phone'");
        assertBadOptions("{\"dataset\":\"" + dataset + "\"," + MATCH + ",\"fields\":[\"fax\"]}", "'fax'");
        assertBadOptions("{\"dataset\":\"" + dataset + "\"," + MATCH + fields + ",\"match_map\":{\"mail\":\"email\"}}",
                "match_map");
        assertBadOptions("{\"dataset\":\"" + dataset + "\"," + MATCH + fields + ",\"normalize\":{\"zip\":\"phone\"}}",
                "unknown normalisation rule");
        assertBadOptions("{\"dataset\":\"" + dataset + "\"," + MATCH + fields + ",\"colour\":\"red\"}",
                "unknown append option");
    }

    @Test
    void the_index_is_built_once_when_many_chunks_ask_at_the_same_time() throws Exception {
        // given a dataset of 50 people, two of whom normalise to the same key
        String name = newPeople();
        for (int p = 0; p < 49; p++) {
            putPerson(name, "First" + p, "Last" + p, p + " Main Street", "12345", "p" + p + "@example.com");
        }
        putPerson(name, "FIRST0", "LAST0", "0 Main St", "12345", "twin@example.com");
        Dataset dataset = dataset(name);
        MatchKey key = new MatchKey(List.of(Rule.GENERIC, Rule.GENERIC, Rule.ADDRESS, Rule.ZIP));
        List<String> match = List.of("first_name", "last_name", "address", "zip");
        String table = AppendIndexStore.tableName("bat_concurrent_" + System.nanoTime());

        // when eight chunks ensure the index at once, and once more afterwards
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> builds = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                builds.add(pool.submit(() -> indexes.ensureIndex(table, dataset, match, key)));
            }
            for (Future<?> build : builds) {
                build.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        indexes.ensureIndex(table, dataset, match, key);

        // then it holds one row per dataset record, and both twins answer the shared key in row-id order
        assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single()).isEqualTo(50);
        String twinKey = key.digest(List.of("first0", "last0", "0 main st", "12345"));
        var found = indexes.lookup(table, dataset, match, List.of("email"), List.of(twinKey));
        assertThat(found.get(twinKey)).extracting(c -> c.fields().getFirst())
                .containsExactly("p0@example.com", "twin@example.com");
        indexes.drop(table);
        indexes.drop(table);
        assertThat(indexes.exists(table)).isFalse();
    }

    @Test
    void a_build_that_dies_half_way_leaves_no_index_and_the_next_attempt_completes_it() {
        // given a dataset of 30 people
        Dataset dataset = dataset(thirtyPeople());
        String table = AppendIndexStore.tableName("bat_crash_" + System.nanoTime());

        // when the first build dies on the 25th record, in steps of one page of 2 records: twelve were committed
        assertThatThrownBy(() -> indexes.ensureIndex(table, dataset, ADDRESS_MATCH, dyingOn(25), 2, Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessage("worker died");

        // then there is no index yet, and the next attempt goes on from the step: every record once
        assertThat(indexes.exists(table)).isFalse();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table + "_b").query(Long.class).single()).isEqualTo(24);
        indexes.ensureIndex(table, dataset, ADDRESS_MATCH, ADDRESS_KEY);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single()).isEqualTo(30);
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT sluice_id) FROM " + table).query(Long.class).single()).isEqualTo(30);
        assertThat(indexes.exists(table + "_b")).isFalse();
        assertThat(indexes.exists(table + "_p")).isFalse();
        indexes.drop(table);
        assertThat(indexes.exists(table)).isFalse();
    }

    @Test
    void dropping_an_index_whose_build_was_cut_short_drops_what_it_left() {
        Dataset dataset = dataset(thirtyPeople());
        String table = AppendIndexStore.tableName("bat_cut_" + System.nanoTime());
        assertThatThrownBy(() -> indexes.ensureIndex(table, dataset, ADDRESS_MATCH, dyingOn(25), 2, Duration.ZERO))
                .hasMessage("worker died");
        assertThat(indexes.exists(table + "_b")).isTrue();

        indexes.drop(table);

        assertThat(indexes.exists(table + "_b")).isFalse();
        assertThat(indexes.exists(table + "_p")).isFalse();
    }

    /** A dataset of 30 people with distinct names and addresses; answers its name. */
    private String thirtyPeople() {
        String name = newPeople();
        for (int p = 0; p < 30; p++) {
            putPerson(name, "First" + p, "Last" + p, p + " Main Street", "12345", "p" + p + "@example.com");
        }
        return name;
    }

    /** {@link #ADDRESS_KEY}'s digest, failing as a dying worker would on the {@code n}th record. */
    private static Function<List<String>, String> dyingOn(int n) {
        AtomicInteger digests = new AtomicInteger();
        return values -> {
            if (digests.incrementAndGet() == n) {
                throw new IllegalStateException("worker died");
            }
            return ADDRESS_KEY.digest(values);
        };
    }

    @Test
    void deleting_the_job_drops_an_index_its_batch_left() {
        // given an append batch that completed, and an index of its batch as a failed or cancelled batch leaves it
        String dataset = newPeople();
        putPerson(dataset, "John", "Smith", "123 Main Street", "12345", "john.smith@example.com");
        String jobId = createJob(dataset, "csv", MATCH + ",\"fields\":[\"email\"]");
        String batchId = upload(jobId, "first_name,last_name,address,zip\nJohn,Smith,123 Main Street,12345\n");
        assertThat(awaitFinal(jobId, batchId).get("status").asString()).isEqualTo("completed");
        String table = AppendIndexStore.tableName(batchId);
        indexes.ensureIndex(table, dataset(dataset), ADDRESS_MATCH, ADDRESS_KEY);
        assertThat(indexes.exists(table)).isTrue();

        // when the job is deleted
        assertThat(http.delete("/api/v1/jobs/" + jobId, ADMIN_KEY).status()).isEqualTo(204);

        // then the index is gone with it
        assertThat(indexes.exists(table)).isFalse();
    }

    // ---- fixtures ----

    private Dataset dataset(String name) {
        String account = jdbc.sql("SELECT account_id FROM datasets WHERE name = :name").param("name", name)
                .query(String.class).single();
        return datasetStore.find(account, name).orElseThrow();
    }

    private void assertBadOptions(String options, String detail) {
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY,
                "{\"name\":\"bad\",\"operation\":\"append\",\"options\":" + options + "}");
        assertThat(response.status()).as(options).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).as(options).contains(detail);
    }

    private String newPeople() {
        String name = "people_" + System.nanoTime();
        Http.Response created = http.postJson("/api/v1/datasets", ADMIN_KEY, PEOPLE.formatted(name));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return name;
    }

    private void putPerson(String dataset, String first, String last, String address, String zip, String email) {
        String key = URLEncoder.encode(first + "," + last + "," + zip, StandardCharsets.UTF_8).replace("+", "%20");
        String body = JSON.writeValueAsString(java.util.Map.of("address", address, "email", email));
        Http.Response put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/datasets/"
                        + dataset + "/records/" + key))
                .header("x-api-key", ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }

    private String createJob(String dataset, String format, String options) {
        Http.Response response = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"append\",\"operation\":\"append\","
                + "\"output_format\":\"" + format + "\",\"options\":{\"dataset\":\"" + dataset + "\"," + options + "}}");
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    private String upload(String jobId, String csv) {
        Http.Response created = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", ADMIN_KEY, "file", "people.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private JsonNode awaitFinal(String jobId, String batchId) {
        return Batches.awaitFinal(http, ADMIN_KEY, jobId, batchId);
    }

    private byte[] download(String jobId, String batchId) {
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", ADMIN_KEY).json();
        Http.Response file = http.get(result.get("download_url").asString(), null);
        assertThat(file.status()).isEqualTo(200);
        return file.bytes();
    }

    private static List<CsvRecord> csv(byte[] bytes) {
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(new String(bytes, StandardCharsets.UTF_8)).forEach(rows::add);
        return rows;
    }
}
