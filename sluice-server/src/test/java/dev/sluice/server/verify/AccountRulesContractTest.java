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
import java.util.LinkedHashMap;
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
 * {@code GET}/{@code PUT /api/v1/verify/rules} and a verify job honouring them, on every store: the list
 * round-trips normalised, a bad rule answers 400 naming its index and text, more than 10,000 rules are refused,
 * and email, domain and tld rules decide with reason {@code account_rule} for their account only.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class AccountRulesContractTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_account_rules";

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
    void rules_start_empty_and_round_trip_normalised() {
        // given a new account
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "rules round trip");
        assertThat(http.get("/api/v1/verify/rules", tenant.key()).json().get("rules")).isEmpty();

        // when it sets three rules
        Http.Response put = http.putJson("/api/v1/verify/rules", tenant.key(), """
                {"rules": [{"match": "email:Boss@Example.COM", "status": "invalid"},
                           {"match": "mx:*.Mail.Example.net", "status": "unknown"},
                           {"match": "tld:RU", "status": "unknown"}]}""");

        // then they are stored in order, domains lower-cased, and read back the same
        assertThat(put.status()).isEqualTo(200);
        JsonNode rules = http.get("/api/v1/verify/rules", tenant.key()).json().get("rules");
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).get("match").asString()).isEqualTo("email:Boss@example.com");
        assertThat(rules.get(0).get("status").asString()).isEqualTo("invalid");
        assertThat(rules.get(1).get("match").asString()).isEqualTo("mx:*.mail.example.net");
        assertThat(rules.get(2).get("match").asString()).isEqualTo("tld:ru");
        assertThat(put.json()).isEqualTo(http.get("/api/v1/verify/rules", tenant.key()).json());

        // and another account sees none of them; an empty list clears them
        Tenant other = Tenant.create(http, ADMIN_KEY, "rules other");
        assertThat(http.get("/api/v1/verify/rules", other.key()).json().get("rules")).isEmpty();
        assertThat(http.putJson("/api/v1/verify/rules", tenant.key(), "{\"rules\": []}").status()).isEqualTo(200);
        assertThat(http.get("/api/v1/verify/rules", tenant.key()).json().get("rules")).isEmpty();
    }

    @Test
    void a_bad_rule_answers_400_naming_its_index_and_text_and_changes_nothing() {
        // given an account with one rule
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "rules bad");
        http.putJson("/api/v1/verify/rules", tenant.key(),
                "{\"rules\": [{\"match\": \"tld:ru\", \"status\": \"invalid\"}]}");

        // when a list with a bad second and third rule is sent
        Http.Response bad = http.putJson("/api/v1/verify/rules", tenant.key(), """
                {"rules": [{"match": "domain:example.com", "status": "valid"},
                           {"match": "host:example.com", "status": "valid"},
                           {"match": "domain:example.com", "status": "accept_all"}]}""");
        Http.Response badStatus = http.putJson("/api/v1/verify/rules", tenant.key(), """
                {"rules": [{"match": "domain:example.com", "status": "accept_all"}]}""");

        // then 400 problems name the first bad rule by index and text, and the stored list is unchanged
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("detail").asString()).contains("rule 1").contains("host:example.com")
                .contains("email:, domain:, mx: or tld:");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().get("detail").asString()).contains("rule 0").contains("accept_all")
                .contains("valid, invalid or unknown");
        assertThat(http.get("/api/v1/verify/rules", tenant.key()).json().get("rules")).hasSize(1);
    }

    @Test
    void ten_thousand_rules_are_kept_and_ten_thousand_and_one_refused() {
        // given an account
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "rules many");

        // when it sends 10,000 rules, then 10,001
        Http.Response most = http.putJson("/api/v1/verify/rules", tenant.key(), rules(10_000));
        Http.Response tooMany = http.putJson("/api/v1/verify/rules", tenant.key(), rules(10_001));

        // then the first list is kept whole and the second refused naming the limit
        assertThat(most.status()).isEqualTo(200);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("detail").asString()).contains("10001").contains("10000");
        JsonNode kept = http.get("/api/v1/verify/rules", tenant.key()).json().get("rules");
        assertThat(kept).hasSize(10_000);
        assertThat(kept.get(9_999).get("match").asString()).isEqualTo("domain:d9999.example.com");
    }

    @Test
    void a_verify_job_honours_email_domain_and_tld_rules_with_reason_account_rule() {
        // given an account whose rules name an address, a domain and a top-level domain
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "rules job");
        assertThat(http.putJson("/api/v1/verify/rules", tenant.key(), """
                {"rules": [{"match": "email:boss@example.com", "status": "invalid"},
                           {"match": "domain:partner.example.org", "status": "valid"},
                           {"match": "tld:ru", "status": "unknown"},
                           {"match": "domain:example.com", "status": "unknown"}]}""").status()).isEqualTo(200);
        String csv = "email\nboss@EXAMPLE.com\nann@example.net\nx@partner.example.org\nivan@mail.ru\n"
                + "eve@example.com\nnot-an-address\n";

        // when a verify job runs a file through them, and another account runs the same file
        Map<String, CsvRecord> mine = verify(tenant.key(), csv);
        Tenant other = Tenant.create(http, ADMIN_KEY, "rules job other");
        Map<String, CsvRecord> theirs = verify(other.key(), csv);

        // then the most specific rule decides, with reason account_rule; no rule, no change
        assertThat(statusAndReason(mine.get("boss@EXAMPLE.com"))).isEqualTo("invalid account_rule");
        assertThat(statusAndReason(mine.get("ann@example.net"))).isEqualTo("valid offline_checks_passed");
        assertThat(statusAndReason(mine.get("x@partner.example.org"))).isEqualTo("valid account_rule");
        assertThat(statusAndReason(mine.get("ivan@mail.ru"))).isEqualTo("unknown account_rule");
        assertThat(statusAndReason(mine.get("eve@example.com"))).isEqualTo("unknown account_rule");
        assertThat(statusAndReason(mine.get("not-an-address"))).isEqualTo("invalid syntax_missing_at");
        assertThat(theirs.values()).extracting(AccountRulesContractTest::statusAndReason)
                .doesNotContain("invalid account_rule", "valid account_rule", "unknown account_rule");
    }

    @Test
    void a_single_check_honours_the_accounts_rules() {
        // given an account whose rules name an address and a domain
        Tenant tenant = Tenant.create(http, ADMIN_KEY, "rules single");
        assertThat(http.putJson("/api/v1/verify/rules", tenant.key(), """
                {"rules": [{"match": "email:boss@example.com", "status": "invalid"},
                           {"match": "domain:partner.example.org", "status": "unknown"}]}""").status()).isEqualTo(200);
        Tenant other = Tenant.create(http, ADMIN_KEY, "rules single other");

        // when the account and another one check addresses one at a time
        JsonNode boss = check(tenant.key(), "boss@EXAMPLE.com");
        JsonNode partner = check(tenant.key(), "x@partner.example.org");
        JsonNode unruled = check(tenant.key(), "ann@example.net");
        JsonNode theirs = check(other.key(), "boss@EXAMPLE.com");

        // then the account's rules decide its checks, as they decide its jobs, and no one else's
        assertThat(boss.get("status").asString() + " " + boss.get("reason").asString())
                .isEqualTo("invalid account_rule");
        assertThat(partner.get("status").asString() + " " + partner.get("reason").asString())
                .isEqualTo("unknown account_rule");
        assertThat(unruled.get("reason").asString()).isEqualTo("offline_checks_passed");
        assertThat(theirs.get("reason").asString()).isEqualTo("offline_checks_passed");
    }

    private JsonNode check(String key, String email) {
        Http.Response response = http.postJson("/api/v1/verify", key, "{\"email\": \"" + email + "\"}");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    @Test
    void the_openapi_document_describes_the_rules_and_the_batch_estimate() {
        JsonNode doc = http.get("/api/v1/openapi.json", null).json();

        JsonNode rules = doc.get("paths").get("/api/v1/verify/rules");
        assertThat(rules.has("get")).isTrue();
        assertThat(rules.get("put").get("responses").has("400")).isTrue();
        assertThat(doc.get("components").get("schemas").get("BatchView").get("properties").has("estimate")).isTrue();
    }

    private Map<String, CsvRecord> verify(String key, String csv) {
        Http.Response created = http.postJson("/api/v1/jobs", key, "{\"name\":\"rules\",\"operation\":\"verify\"}");
        assertThat(created.status()).isEqualTo(201);
        String jobId = created.json().get("id").asString();
        Http.Response batch = http.postFile("/api/v1/jobs/" + jobId + "/batch-files", key, "file", "rules.csv",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(batch.status()).isEqualTo(201);
        String batchId = batch.json().get("id").asString();
        assertThat(Batches.awaitFinal(http, key, jobId, batchId).get("status").asString()).isEqualTo("completed");
        JsonNode result = http.get("/api/v1/jobs/" + jobId + "/batches/" + batchId + "/result", key).json();
        String text = http.get(result.get("download_url").asString(), null).text();
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(text).forEach(rows::add);
        Map<String, CsvRecord> byEmail = new LinkedHashMap<>();
        for (CsvRecord row : rows.subList(1, rows.size())) {
            byEmail.put(row.getField(0), row);
        }
        return byEmail;
    }

    private static String statusAndReason(CsvRecord row) {
        return row.getField(2) + " " + row.getField(3);
    }

    private static String rules(int count) {
        StringBuilder json = new StringBuilder("{\"rules\": [");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"match\":\"domain:d").append(i)
                    .append(".example.com\",\"status\":\"invalid\"}");
        }
        return json.append("]}").toString();
    }
}
