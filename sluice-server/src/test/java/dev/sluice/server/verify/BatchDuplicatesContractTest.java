package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.server.support.Batches;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A verify batch whose addresses repeat within and across chunks (two records a chunk): every row stays, in
 * order; later copies name their first copy's row and carry its verdict; the duplicates counter is exact; on
 * every store.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class BatchDuplicatesContractTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_duplicates";

    // input columns email, n; then sluice_row, sluice_status, sluice_reason, sluice_email ... sluice_duplicate_of
    static final String FILE = """
            email,n
            ann@example.com,1
             ann@EXAMPLE.com ,2
            John.Doe+news@gmail.com,3
            bob@example.org,4
            johndoe@googlemail.com,5
            j.o.h.n.doe@GMAIL.com,6
            ann@example.com,7
            Ann@example.com,8
            john.doe@example.net,9
            johndoe@example.net,10
            info@example.com,11
            """;

    static TestServer server;

    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    Http http;

    @BeforeParameterizedClassInvocation
    static void start_server(TestDatabase database) {
        server = TestServer.start(database, TestServer.offline(ADMIN_KEY, Map.entry("sluice.job.chunk-size", "2"),
                Map.entry("sluice.drop.enabled", "false")));
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
    void repeated_addresses_across_chunks_are_verified_once_and_every_row_names_its_first_copy() {
        // given an account whose rule makes the role address's verdict visible, and a file of six chunks
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "duplicates");
        http.putJson("/api/v1/verify/rules", tenant.key(),
                "{\"rules\": [{\"match\": \"email:ann@example.com\", \"status\": \"unknown\"}]}");
        Http.Response created = http.postJson("/api/v1/jobs", tenant.key(),
                "{\"name\":\"dups\",\"operation\":\"verify\"}");
        String jobId = created.json().get("id").asString();
        String batchId = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", tenant.key(), "file", "dups.csv",
                FILE.getBytes(StandardCharsets.UTF_8)).json().get("id").asString();

        // when it completes
        JsonNode batch = Batches.awaitFinal(http, tenant.key(), jobId, batchId);

        // then counters add up and count the four later copies
        assertThat(batch.get("status").asString()).isEqualTo("completed");
        JsonNode records = batch.get("records");
        assertThat(records.get("processed").asLong()).isEqualTo(11);
        assertThat(records.get("duplicates").asLong()).isEqualTo(4);
        assertThat(records.get("valid").asLong() + records.get("invalid").asLong() + records.get("accept_all").asLong()
                + records.get("unknown").asLong()).isEqualTo(11);
        assertThat(records.get("unknown").asLong()).isEqualTo(3);
        JsonNode job = http.get("/api/v1/jobs/" + jobId, tenant.key()).json();
        assertThat(job.get("records").get("duplicates").asLong()).isEqualTo(4);

        // and every row is there in order, copies naming the first copy's row and carrying its verdict
        List<CsvRecord> rows = result(tenant.key(), jobId, batchId);
        assertThat(rows.get(0).getFields()).last().isEqualTo("sluice_duplicate_of");
        List<String> shown = rows.subList(1, rows.size()).stream()
                .map(r -> r.getField(1) + "|" + r.getField(2) + "|" + r.getField(3) + "|" + r.getField(5) + "|"
                        + r.getField(r.getFieldCount() - 1))
                .toList();
        assertThat(shown).containsExactly(
                "1|1|unknown|ann@example.com|",
                "2|2|unknown|ann@example.com|1",
                "3|3|valid|John.Doe+news@gmail.com|",
                "4|4|valid|bob@example.org|",
                "5|5|valid|John.Doe+news@gmail.com|3",
                "6|6|valid|John.Doe+news@gmail.com|3",
                "7|7|unknown|ann@example.com|1",
                "8|8|valid|Ann@example.com|",
                "9|9|valid|john.doe@example.net|",
                "10|10|valid|johndoe@example.net|",
                "11|11|valid|info@example.com|");
    }

    private List<CsvRecord> result(String key, String jobId, String batchId) {
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", key).json();
        String text = http.get(result.get("download_url").asString(), null).text();
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(text).forEach(rows::add);
        return rows;
    }
}
