package dev.sluice.server.compat.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.server.account.AccountService;
import dev.sluice.server.account.ApiKeyKind;
import dev.sluice.server.account.CreditStore;
import dev.sluice.server.support.Await;
import dev.sluice.server.support.TestDatabase;
import dev.sluice.server.support.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 002 ("/email/batch") spoken exactly: its example requests run as written, with only the host
 * changed (and the example job id replaced by a real one), by a real {@code curl} process, and its sample
 * HTML form submitted by headless Chromium, against the server on a random port; the same contract on
 * every store (one run per {@link TestDatabase}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class EmailBatchSeedTest {

    /** The seed's example license key, made the bootstrap admin key so the examples run unchanged. */
    static final String SEED_KEY = "BFtd2UpC8Gl1jU1pPnDZIVpoz2XnBMyWEfVcAfoI";
    static final String SEED_HOST = "https://api.everythinglocation.com";
    static final String SEED_JOB_ID = "ace9b72550065075637512c5adddc656c037e6387e2016-03-25";

    // The seed's example requests, character for character (their line breaks are the page's layout).
    static final String SEED_LIST = """
            GET https://api.everythinglocation.com/email/batch
            ?lqtkey=BFtd2UpC8Gl1jU1pPnDZIVpoz2XnBMyWEfVcAfoI""";
    static final String SEED_STATUS = """
            GET https://api.everythinglocation.com/email/batch
            /ace9b72550065075637512c5adddc656c037e6387e2016-03-25
            ?lqtkey=BFtd2UpC8Gl1jU1pPnDZIVpoz2XnBMyWEfVcAfoI""";
    static final String SEED_DOWNLOAD = """
            GET https://api.everythinglocation.com/email/batch
            /ace9b72550065075637512c5adddc656c037e6387e2016-03-25
            ?lqtkey=BFtd2UpC8Gl1jU1pPnDZIVpoz2XnBMyWEfVcAfoI&download""";
    static final String SEED_FORM = """
            <form method="POST" enctype="multipart/form-data"
            action="https://api.everythinglocation.com/email/batch
            ?lqtkey=BFtd2UpC8Gl1jU1pPnDZIVpoz2XnBMyWEfVcAfoI">
            <input type="file" name="email" />
            </form>""";

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Set<String> SEED_STATUSES = Set.of("pending", "file_error", "loading", "verifying", "complete",
            "downloaded");
    static final String JOB_ID_PATTERN = "[0-9a-f]{42}\\d{4}-\\d{2}-\\d{2}";
    static final String TIME_PATTERN = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}";

    @TempDir
    Path work;

    static TestServer server;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    @LocalServerPort
    int port;

    @Autowired
    AccountService accounts;

    @Autowired
    CreditStore credits;

    @Autowired
    TransactionTemplate tx;

    final JsonMapper json = JsonMapper.builder().build();

    static Map<String, String> properties() {
        return Map.ofEntries(
                Map.entry("SLUICE_BOOTSTRAP_API_KEY", SEED_KEY),
                Map.entry("sluice.job.chunk-size", "2"),
                Map.entry("sluice.job.poll-interval", "100ms"),
                Map.entry("sluice.verify.dns.enabled", "false"),
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

    @BeforeEach
    void inject() {
        server.inject(this);
    }

    // ---- the seed's examples, end to end ----

    @Test
    void seed_examples_run_by_curl_take_a_file_from_upload_to_downloaded_and_charged() throws Exception {
        // given the seed's file name and a comma separated list with the 'email' header
        Path file = work.resolve("email-batch-job-1.csv");
        Files.writeString(file, "email,name\nann@example.com,Ann\nnot-an-address,Bob\nbob@example.org,Bob\n"
                + "carl@example.net,Carl\ndora@@example.com,Dora\n");

        // when it is posted like the sample form does: multipart, file field 'email', lqtkey in the query
        Curl upload = curl(work, "-F", "email=@email-batch-job-1.csv", seedUrl(SEED_FORM_ACTION()));

        // then the seed's confirmation
        assertThat(upload.status()).isEqualTo(200);
        JsonNode answer = upload.json();
        assertThat(answer.get("Status").asString()).isEqualTo("OK");
        JsonNode item = answer.get("email_batch").get(0);
        assertThat(names(item)).containsExactly("job_id", "submitted_file", "estm_total_trans", "start_time");
        String jobId = item.get("job_id").asString();
        assertThat(jobId).hasSize(52).matches(JOB_ID_PATTERN);
        assertThat(item.get("submitted_file").asString()).isEqualTo("email-batch-job-1.csv");
        assertThat(item.get("estm_total_trans").asLong()).isEqualTo(5);
        assertThat(item.get("start_time").asString()).matches(TIME_PATTERN);

        // when its status is polled with the seed's request until it is complete
        JsonNode status = pollUntil(jobId, "complete");

        // then the pre-download shape, with the seed's estimate of 5 credits a record
        assertThat(status.get("Status").asString()).isEqualTo("OK");
        JsonNode pre = status.get("batch_status");
        assertThat(names(pre)).containsExactly("job_id", "submitted_file", "start_time", "finish_time", "progress",
                "status", "estm_total_trans", "estm_credit_cost");
        assertThat(pre.get("job_id").asString()).isEqualTo(jobId);
        assertThat(pre.get("progress").asString()).isEqualTo("100%");
        assertThat(pre.get("finish_time").asString()).matches(TIME_PATTERN);
        assertThat(pre.get("estm_total_trans").asLong()).isEqualTo(5);
        assertThat(pre.get("estm_credit_cost").asLong()).isEqualTo(25);

        // and the seed's list shows it complete
        JsonNode list = curl(work, seedUrl(SEED_LIST)).json();
        assertThat(list.get("Status").asString()).isEqualTo("OK");
        assertThat(listed(list, jobId)).containsEntry("status", "complete").containsEntry("progress", "100%");

        // when the seed's download request runs, the file named by the server
        Path downloads = Files.createDirectory(work.resolve("downloads"));
        Curl download = curl(downloads, "-O", "-J", seedUrl(SEED_DOWNLOAD.replace(SEED_JOB_ID, jobId)));

        // then it is <job_id>_verified.csv: the input columns and rows in order, and the verdicts
        assertThat(download.status()).isEqualTo(200);
        Path verified = downloads.resolve(jobId + "_verified.csv");
        assertThat(verified).exists();
        assertThat(Files.readAllLines(verified)).containsExactly(
                "email,name,status",
                "ann@example.com,Ann,valid",
                "not-an-address,Bob,invalid",
                "bob@example.org,Bob,valid",
                "carl@example.net,Carl,valid",
                "dora@@example.com,Dora,invalid");

        // and the task is downloaded, in the post-download shape, charged 5 credits a record
        JsonNode post = curl(work, seedUrl(SEED_STATUS.replace(SEED_JOB_ID, jobId))).json().get("batch_status");
        assertThat(names(post)).containsExactly("job_id", "submitted_file", "start_time", "finish_time", "progress",
                "status", "stats", "total_records", "credit_cost");
        assertThat(post.get("status").asString()).isEqualTo("downloaded");
        assertThat(post.get("progress").asString()).isEqualTo("100%");
        JsonNode stats = post.get("stats");
        assertThat(stats.get("total_trans").asLong()).isEqualTo(5);
        assertThat(stats.get("valid").asLong()).isEqualTo(3);
        assertThat(stats.get("invalid").asLong()).isEqualTo(2);
        assertThat(stats.get("accept_all").asLong()).isZero();
        assertThat(stats.get("unknown").asLong()).isZero();
        assertThat(post.get("total_records").asLong()).isEqualTo(5);
        assertThat(post.get("credit_cost").asLong()).isEqualTo(25);
        assertThat(listed(curl(work, seedUrl(SEED_LIST)).json(), jobId)).containsEntry("status", "downloaded");
    }

    @Test
    void tab_delimited_file_is_verified_like_a_comma_separated_one() throws Exception {
        // given a tab delimited .csv
        Files.writeString(work.resolve("tabs.csv"), "id\temail\n1\tann@example.com\n2\tbroken\n");

        // when it is uploaded and completes
        String jobId = curl(work, "-F", "email=@tabs.csv", seedUrl(SEED_FORM_ACTION())).json()
                .get("email_batch").get(0).get("job_id").asString();
        pollUntil(jobId, "complete");

        // then the verified file keeps its columns and delimiter-free values
        Curl download = curl(work, "-o", "out.csv", seedUrl(SEED_DOWNLOAD.replace(SEED_JOB_ID, jobId)));
        assertThat(download.status()).isEqualTo(200);
        assertThat(Files.readAllLines(work.resolve("out.csv")))
                .containsExactly("id,email,status", "1,ann@example.com,valid", "2,broken,invalid");
    }

    @Test
    void the_sample_html_form_submitted_by_headless_chromium_creates_a_batch() throws Exception {
        // given the system Chromium (CI installs it; without it this test must fail, not skip)
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: install Chromium (apt-get install chromium) to run the seed's HTML form test");
        }
        // and the seed's sample form, host changed, served from its own origin
        String form = "<!doctype html><html><body>" + SEED_FORM.replace(SEED_HOST, base()) + "</body></html>";
        HttpServer pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/form.html", exchange -> {
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pages.start();
        Path file = work.resolve("email-batch-job-1.csv");
        Files.writeString(file, "email\nann@example.com\nbob@example.org\nnot-an-address\n");

        try (Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                     .setExecutablePath(CHROMIUM).setHeadless(true)
                     .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")))) {
            Page page = browser.newPage();
            page.navigate("http://127.0.0.1:" + pages.getAddress().getPort() + "/form.html");

            // when the file is chosen and the form submitted (the sample has no button; a page script submits it)
            page.setInputFiles("input[type=file][name=email]", file);
            page.waitForNavigation(() -> page.evalOnSelector("form", "form => form.submit()"));

            // then the browser shows the seed's confirmation for the uploaded file
            assertThat(page.url()).isEqualTo(base() + "/email/batch?lqtkey=" + SEED_KEY);
            JsonNode answer = json.readTree(page.innerText("body"));
            assertThat(answer.get("Status").asString()).isEqualTo("OK");
            JsonNode item = answer.get("email_batch").get(0);
            assertThat(item.get("job_id").asString()).hasSize(52).matches(JOB_ID_PATTERN);
            assertThat(item.get("submitted_file").asString()).isEqualTo("email-batch-job-1.csv");
            assertThat(item.get("estm_total_trans").asLong()).isEqualTo(3);

            // and the task it created runs to complete
            assertThat(pollUntil(item.get("job_id").asString(), "complete").get("batch_status").get("estm_credit_cost")
                    .asLong()).isEqualTo(15);
        } finally {
            pages.stop(0);
        }
    }

    // ---- refusals ----

    @Test
    void evaluation_key_refuses_a_file_over_1000_records_and_takes_1000() throws Exception {
        // given an account with an evaluation key
        String key = accounts.createAccount("trial", false, ApiKeyKind.EVALUATION, null).key();
        Files.writeString(work.resolve("big.csv"), emails(1001));
        Files.writeString(work.resolve("limit.csv"), emails(1000));

        // when it uploads 1,001 records, then 1,000
        Curl big = curl(work, "-F", "email=@big.csv", base() + "/email/batch?lqtkey=" + key);
        Curl limit = curl(work, "-F", "email=@limit.csv", base() + "/email/batch?lqtkey=" + key);

        // then the first is refused in the seed's envelope, the second accepted
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().get("Status").asString()).isEqualTo("EVALUATION_LIMIT_EXCEEDED");
        assertThat(big.json().get("Message").asString()).contains("1000");
        assertThat(limit.status()).isEqualTo(200);
        assertThat(limit.json().get("email_batch").get(0).get("estm_total_trans").asLong()).isEqualTo(1000);
        assertThat(curl(work, base() + "/email/batch?lqtkey=" + key).json().get("batch_jobs").get("result")).hasSize(1);
    }

    @Test
    void credits_are_checked_on_upload_and_charged_once_on_the_first_download() throws Exception {
        // given an account with 10 credits and a file of 3 records (15 credits)
        var issued = accounts.createAccount("metered", false, ApiKeyKind.LIVE, null);
        String key = issued.key();
        setBalance(issued.accountId(), 10L);
        Files.writeString(work.resolve("three.csv"), emails(3));

        // when it uploads, then the balance does not cover the estimate
        Curl refused = curl(work, "-F", "email=@three.csv", base() + "/email/batch?lqtkey=" + key);
        assertThat(refused.status()).isEqualTo(402);
        assertThat(refused.json().get("Status").asString()).isEqualTo("INSUFFICIENT_CREDIT");

        // given 20 credits the upload is taken and completes
        setBalance(issued.accountId(), 20L);
        String jobId = curl(work, "-F", "email=@three.csv", base() + "/email/batch?lqtkey=" + key).json()
                .get("email_batch").get(0).get("job_id").asString();
        pollUntil(jobId, "complete", key);

        // when the balance drops below the cost before the download
        setBalance(issued.accountId(), 14L);
        Curl short_ = curl(work, "-o", "x.csv", base() + "/email/batch/" + jobId + "?lqtkey=" + key + "&download");

        // then the download is refused and nothing is charged; the task stays complete
        assertThat(short_.status()).isEqualTo(402);
        assertThat(Files.readString(work.resolve("x.csv"))).contains("\"Status\":\"INSUFFICIENT_CREDIT\"");
        assertThat(credits.balance(issued.accountId())).hasValue(14);
        assertThat(status(jobId, key).get("status").asString()).isEqualTo("complete");

        // when there is enough, two downloads charge once
        setBalance(issued.accountId(), 20L);
        assertThat(curl(work, "-o", "a.csv", base() + "/email/batch/" + jobId + "?lqtkey=" + key + "&download").status())
                .isEqualTo(200);
        assertThat(curl(work, "-o", "b.csv", base() + "/email/batch/" + jobId + "?lqtkey=" + key + "&download").status())
                .isEqualTo(200);

        // then
        assertThat(credits.balance(issued.accountId())).hasValue(5);
        assertThat(Files.readAllLines(work.resolve("a.csv"))).hasSize(4).isEqualTo(Files.readAllLines(work.resolve("b.csv")));
        JsonNode post = status(jobId, key);
        assertThat(post.get("status").asString()).isEqualTo("downloaded");
        assertThat(post.get("credit_cost").asLong()).isEqualTo(15);
    }

    @Test
    void repeated_addresses_are_charged_once() throws Exception {
        // given an account with 100 credits and five records holding three distinct addresses over three chunks
        var issued = accounts.createAccount("duplicates", false, ApiKeyKind.LIVE, null);
        String key = issued.key();
        setBalance(issued.accountId(), 100L);
        Files.writeString(work.resolve("repeated.csv"), "email\nann@example.com\nj.doe@gmail.com\n ann@example.COM\n"
                + "bob@example.org\njdoe+x@googlemail.com\n");

        // when it is verified and downloaded
        String jobId = curl(work, "-F", "email=@repeated.csv", base() + "/email/batch?lqtkey=" + key).json()
                .get("email_batch").get(0).get("job_id").asString();
        pollUntil(jobId, "complete", key);
        String download = base() + "/email/batch/" + jobId + "?lqtkey=" + key + "&download";
        assertThat(curl(work, "-o", "r.csv", download).status()).isEqualTo(200);

        // then the three distinct addresses are charged, 5 credits each, and every record is in the file
        assertThat(status(jobId, key).get("credit_cost").asLong()).isEqualTo(15);
        assertThat(credits.balance(issued.accountId())).hasValue(85);
        assertThat(Files.readAllLines(work.resolve("r.csv"))).hasSize(6);
    }

    @Test
    void unreadable_file_ends_file_error_and_cannot_be_downloaded() throws Exception {
        // given a .csv without an email column
        Files.writeString(work.resolve("people.csv"), "name,phone\nAnn,123\nBob,456\n");

        // when it is uploaded
        Curl upload = curl(work, "-F", "email=@people.csv", seedUrl(SEED_FORM_ACTION()));
        String jobId = upload.json().get("email_batch").get(0).get("job_id").asString();

        // then the task ends file_error, and a download is refused until... never
        JsonNode status = pollUntil(jobId, "file_error");
        assertThat(status.get("batch_status").get("estm_total_trans").asLong()).isZero();
        Curl download = curl(work, seedUrl(SEED_DOWNLOAD.replace(SEED_JOB_ID, jobId)));
        assertThat(download.status()).isEqualTo(409);
        assertThat(download.json().get("Status").asString()).isEqualTo("NOT_READY");
    }

    @Test
    void missing_or_wrong_key_unknown_job_and_other_accounts_job_answer_the_seed_envelope() throws Exception {
        // given a task of the seed key's account and a second account
        Files.writeString(work.resolve("one.csv"), emails(1));
        String jobId = curl(work, "-F", "email=@one.csv", seedUrl(SEED_FORM_ACTION())).json()
                .get("email_batch").get(0).get("job_id").asString();
        String other = accounts.createAccount("other", false, ApiKeyKind.LIVE, null).key();

        // when / then
        Curl noKey = curl(work, base() + "/email/batch");
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.json().get("Status").asString()).isEqualTo("INVALID_KEY");
        assertThat(curl(work, base() + "/email/batch?lqtkey=wrong").json().get("Status").asString()).isEqualTo("INVALID_KEY");
        Curl unknown = curl(work, seedUrl(SEED_STATUS));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("Status").asString()).isEqualTo("JOB_NOT_FOUND");
        assertThat(curl(work, base() + "/email/batch/" + jobId + "?lqtkey=" + other).status()).isEqualTo(404);
        Curl noFile = curl(work, "-X", "POST", seedUrl(SEED_FORM_ACTION()));
        assertThat(noFile.json().get("Status").asString()).isEqualTo("MISSING_FILE");
        Files.writeString(work.resolve("list.txt"), emails(1));
        assertThat(curl(work, "-F", "email=@list.txt", seedUrl(SEED_FORM_ACTION())).json().get("Status").asString())
                .isEqualTo("INVALID_FILE_TYPE");
    }

    // ---- helpers ----

    /** The sample form's action attribute, as a request line. */
    static String SEED_FORM_ACTION() {
        String action = SEED_FORM.substring(SEED_FORM.indexOf("action=\"") + 8);
        return "POST " + action.substring(0, action.indexOf('"'));
    }

    /** A seed request line as curl's URL: the host changed, the page's line breaks removed. */
    String seedUrl(String request) {
        String url = request.substring(request.indexOf(' ') + 1).replace("\n", "");
        assertThat(url).startsWith(SEED_HOST);
        return url.replace(SEED_HOST, base());
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    record Curl(int status, String body, JsonMapper json0) {
        JsonNode json() {
            return json0.readTree(body);
        }
    }

    /** Runs the real curl in {@code dir}; the status comes from {@code -w} on a last line of its own. */
    Curl curl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-s", "-S", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("curl " + command + " said: " + out).isZero();
        int cut = out.lastIndexOf('\n');
        return new Curl(Integer.parseInt(out.substring(cut + 1).strip()), out.substring(0, cut), json);
    }

    JsonNode pollUntil(String jobId, String wanted) throws Exception {
        return pollUntil(jobId, wanted, SEED_KEY);
    }

    /** Polls the seed's status request; every status seen must be one of the seed's words. */
    JsonNode pollUntil(String jobId, String wanted, String key) throws Exception {
        Set<String> seen = new LinkedHashSet<>();
        return Await.until("batch task " + jobId + " " + wanted + "; saw " + seen, () -> {
            JsonNode answer;
            try {
                answer = curl(work, seedUrl(SEED_STATUS.replace(SEED_JOB_ID, jobId)).replace(SEED_KEY, key)).json();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(answer.get("Status").asString()).isEqualTo("OK");
            String status = answer.get("batch_status").get("status").asString();
            seen.add(status);
            assertThat(SEED_STATUSES).contains(status);
            assertThat(answer.get("batch_status").get("progress").asString()).matches("\\d{1,3}%");
            return answer;
        }, answer -> answer.get("batch_status").get("status").asString().equals(wanted));
    }

    JsonNode status(String jobId, String key) throws Exception {
        return curl(work, base() + "/email/batch/" + jobId + "?lqtkey=" + key).json().get("batch_status");
    }

    static Map<String, String> listed(JsonNode list, String jobId) {
        for (JsonNode item : list.get("batch_jobs").get("result")) {
            if (item.get("job_id").asString().equals(jobId)) {
                assertThat(names(item)).containsExactly("job_id", "status", "progress");
                return Map.of("status", item.get("status").asString(), "progress", item.get("progress").asString());
            }
        }
        throw new AssertionError(jobId + " is not listed in " + list);
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    static String emails(int count) {
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < count; i++) {
            csv.append("user").append(i).append("@example.com\n");
        }
        return csv.toString();
    }

    void setBalance(String accountId, Long balance) {
        tx.executeWithoutResult(s -> credits.setBalance(accountId, balance));
    }
}
