package dev.sluice.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.sluice.server.support.Http;
import dev.sluice.server.support.Tenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web console in a real headless Chromium (Debian's, at /usr/bin/chromium) against the server on a
 * random port with an SQLite store: signing in, a verify job uploaded and watched live to 100% with its
 * verdict chart and download, an import with its outcome chart and failed records, the datasets pages, a
 * phone-width run with a dropped file, the preflight panel an admin key sees, and a wrong key. Screenshots for review go to
 * {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class ConsoleBrowserTest {

    static final String ADMIN_KEY = "sk_test_console_admin_key";
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final int PHONE_WIDTH = 390;

    @TempDir
    static Path dataDir;

    @TempDir
    Path work;

    @LocalServerPort
    int port;

    static Playwright playwright;
    static Browser browser;
    BrowserContext context;
    Http http;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> ADMIN_KEY);
        registry.add("sluice.job.chunk-size", () -> "2");
        registry.add("sluice.job.poll-interval", () -> "100ms");
        registry.add("sluice.stream.poll-interval", () -> "100ms");
        registry.add("sluice.verify.dns.enabled", () -> "false");
        registry.add("sluice.drop.enabled", () -> "false");
    }

    @BeforeAll
    static void launch() throws IOException {
        // CI installs Chromium; without it this test must fail, not skip
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: install Chromium (apt-get install chromium) to run the console test");
        }
        Files.createDirectories(SCREENSHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
        // waits, not deadlines: a loaded two-core machine may be slow, and nothing here measures time
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    }

    @AfterAll
    static void close() {
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void client() {
        http = new Http(base());
    }

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    // ---- estimate first ----

    @Test
    void estimate_first_shows_the_quote_of_the_files_then_runs_the_verify() throws Exception {
        // given a signed-in browser on the new job page with a file holding a duplicate and a broken address
        Page page = open(1280, 900);
        signIn(page, ADMIN_KEY);
        Path file = work.resolve("quote-list.csv");
        Files.writeString(file, "email\nann@example.com\n ann@EXAMPLE.com\nnot-an-address\nbob@example.org\n");
        page.click("a.button[href='#/new']");
        page.fill("#job-name", "quoted list");
        page.setInputFiles("#file-input", file);

        // when the verify is estimated first
        page.click("#estimate-first");

        // then the quote of the file shows, and the start button runs the verify
        PlaywrightAssertions.assertThat(page.locator("#estimates")).containsText("quote-list.csv");
        PlaywrightAssertions.assertThat(page.locator("#estimates")).containsText("Distinct addresses3");
        PlaywrightAssertions.assertThat(page.locator("#estimates")).containsText("Duplicates1");
        PlaywrightAssertions.assertThat(page.locator("#estimates")).containsText("Already invalid1");
        PlaywrightAssertions.assertThat(page.locator("#start-job")).hasText("Run the verify");
        screenshot(page, "estimate-first-desktop");
        page.click("#start-job");
        page.waitForURL(Pattern.compile("#/jobs/job_[0-9a-z]+$"));
        PlaywrightAssertions.assertThat(page.locator("#job-title")).hasText("quoted list");
    }

    // ---- the whole path of a verify job ----

    @Test
    void verify_upload_streams_progress_to_100_then_shows_the_verdict_chart_and_downloads_the_result() throws Exception {
        // given a signed-in desktop browser and a file of five addresses, two of them broken
        Page page = open(1280, 900);
        signIn(page, ADMIN_KEY);
        Path file = work.resolve("spring-list.csv");
        Files.writeString(file, "email,name\nann@example.com,Ann\nnot-an-address,Bob\nbob@example.org,Bob\n"
                + "carl@example.net,Carl\ndora@@example.com,Dora\n");

        // when a verify job is started with it, its upload held back until the job's page is watched
        page.click("a.button[href='#/new']");
        page.fill("#job-name", "spring list");
        PlaywrightAssertions.assertThat(page.locator("#op-verify")).isChecked();
        page.setInputFiles("#file-input", file);
        PlaywrightAssertions.assertThat(page.locator("#chosen-files")).containsText("spring-list.csv");
        List<Route> held = new ArrayList<>();
        page.route("**/api/v1/jobs/*/batch-files", held::add);
        screenshot(page, "new-job-desktop");
        page.click("#start-job");

        // then the job's own page opens, live, waiting at 0% while the file goes up
        page.waitForURL(Pattern.compile("#/jobs/job_[0-9a-z]+$"));
        PlaywrightAssertions.assertThat(page.locator("#job-title")).hasText("spring list");
        PlaywrightAssertions.assertThat(page.locator("#live")).hasText("live");
        PlaywrightAssertions.assertThat(page.locator("#job-state")).hasText("waiting");
        PlaywrightAssertions.assertThat(page.locator("#job-progress .pct")).hasText("0%");
        PlaywrightAssertions.assertThat(page.locator("#uploads")).containsText("spring-list.csv: uploading");
        page.evaluate("""
                () => {
                  window.notReloaded = true;
                  window.seen = [];
                  const pct = document.querySelector('#job-progress .pct');
                  new MutationObserver(() => window.seen.push(pct.textContent))
                      .observe(pct, {childList: true, characterData: true, subtree: true});
                }""");

        // when the upload goes through
        page.waitForCondition(() -> held.size() == 1);
        held.get(0).resume();

        // then the stream carries the page to 100% and the end of the job, without a reload
        page.waitForSelector("#live[data-ended='final']");
        PlaywrightAssertions.assertThat(page.locator("#job-progress .pct")).hasText("100%");
        PlaywrightAssertions.assertThat(page.locator("#job-state")).hasText("completed");
        assertThat(page.evaluate("() => window.notReloaded")).isEqualTo(true);
        List<Double> seen = percentages(page.evaluate("() => window.seen"));
        assertThat(seen).isNotEmpty().isSorted().last().isEqualTo(100.0);
        PlaywrightAssertions.assertThat(page.locator("#uploads li")).hasCount(0);

        // and the chart shows the verdicts: 3 valid, 2 invalid, none accept_all or unknown
        assertThat(chartData(page)).containsExactly(3L, 2L, 0L, 0L);
        assertThat(chartLabels(page)).containsExactly("valid", "invalid", "accept_all", "unknown");
        PlaywrightAssertions.assertThat(page.locator("#counters [data-counter=valid] dd")).hasText("3");

        // and the timeline tells the story, oldest first
        assertThat(page.locator("#timeline li").evaluateAll("items => items.map(i => i.dataset.type)"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .startsWith("job_created").contains("batch_queued", "batch_loaded").endsWith("batch_completed");
        screenshot(page, "verify-job-desktop");

        // when the result is downloaded
        Download download = page.waitForDownload(() -> page.click("#batches button.download"));

        // then it is the verified file: every input row, in order, with its verdict
        assertThat(download.suggestedFilename()).matches("bat_[0-9a-z]+_result\\.csv");
        Map<String, String> verdicts = verdicts(download.path());
        assertThat(verdicts).containsExactly(Map.entry("ann@example.com", "valid"), Map.entry("not-an-address", "invalid"),
                Map.entry("bob@example.org", "valid"), Map.entry("carl@example.net", "valid"),
                Map.entry("dora@@example.com", "invalid"));

        // and the report charts the reasons (no provider column yet) and the most frequent domains
        PlaywrightAssertions.assertThat(page.locator("#report")).isVisible();
        PlaywrightAssertions.assertThat(page.locator("#report-reasons li")).not().hasCount(0);
        assertThat(page.locator("#report-reasons li .hbar-count").allTextContents().stream()
                .mapToLong(Long::parseLong).sum()).isEqualTo(5);
        PlaywrightAssertions.assertThat(page.locator("#report-providers")).containsText("none");
        PlaywrightAssertions.assertThat(page.locator("#report-domains li[data-key='example.com'] .hbar-count"))
                .hasText("2");
        screenshot(page, "verify-report-desktop");

        // when only the invalid rows are downloaded
        PlaywrightAssertions.assertThat(page.locator("#batches button.download-status")).hasCount(2);
        Download invalid = page.waitForDownload(
                () -> page.click("#batches button.download-status[data-status=invalid]"));

        // then the file holds those rows only, in order, with the header
        assertThat(invalid.suggestedFilename()).matches("bat_[0-9a-z]+_result_invalid\\.csv");
        assertThat(verdicts(invalid.path())).containsExactly(Map.entry("not-an-address", "invalid"),
                Map.entry("dora@@example.com", "invalid"));

        // and the jobs list shows the job completed at 100%
        page.click("#nav a[data-section=jobs]");
        PlaywrightAssertions.assertThat(page.locator(".job-row[data-state=completed]").first()).containsText("spring list");
        PlaywrightAssertions.assertThat(page.locator(".job-row[data-state=completed] .pct").first()).hasText("100%");
        screenshot(page, "jobs-desktop");
    }

    // ---- import, datasets ----

    @Test
    void import_shows_its_outcomes_and_failed_records_the_dataset_pages_show_them_and_append_adds_emails()
            throws Exception {
        // given a dataset of people, created through the API
        String dataset = "people_" + System.nanoTime();
        Http.Response created = http.postJson("/api/v1/datasets", ADMIN_KEY, """
                {"name": "%s", "columns": [{"name": "first_name", "type": "string", "required": true},
                  {"name": "last_name", "type": "string"}, {"name": "age", "type": "integer"},
                  {"name": "email", "type": "email"}], "key": ["first_name", "last_name"]}""".formatted(dataset));
        assertThat(created.status()).isEqualTo(201);
        Path file = work.resolve("people.csv");
        Files.writeString(file, "first_name,last_name,age,email\nAnn,Lee,34,ann@example.com\nBob,Ray,old,bob@example.org\n"
                + "Cy,Doe,51,cy@example.net\nDee,Fox,28,dee@example.com\n");
        Page page = open(1280, 900);
        signIn(page, ADMIN_KEY);

        // when the file is imported into it from the console, with no error threshold
        page.click("#nav a[data-section=new]");
        page.check("#op-import");
        PlaywrightAssertions.assertThat(page.locator("#import-options")).isVisible();
        page.selectOption("#import-dataset", dataset);
        page.selectOption("#import-type", "update");
        page.fill("#error-threshold", "0");
        page.setInputFiles("#file-input", file);
        page.click("#start-job");

        // then the job ends with 3 records completed and 1 failed, charted as outcomes
        page.waitForSelector("#live[data-ended='final']");
        PlaywrightAssertions.assertThat(page.locator("#job-progress .pct")).hasText("100%");
        PlaywrightAssertions.assertThat(page.locator("#batches tr[data-status=completed]")).hasCount(1);
        assertThat(chartLabels(page)).containsExactly("completed", "failed", "ignored");
        assertThat(chartData(page)).containsExactly(3L, 1L, 0L);

        // and the failed record is listed with its reason
        PlaywrightAssertions.assertThat(page.locator("#batches button.failures")).hasText("1 failed record");
        page.click("#batches button.failures");
        PlaywrightAssertions.assertThat(page.locator("#failed-records tbody tr")).hasCount(1);
        PlaywrightAssertions.assertThat(page.locator("#failed-records tbody tr")).containsText("age: 'old' is not a valid integer");
        screenshot(page, "import-job-desktop");

        // when the datasets page is opened
        page.click("#nav a[data-section=datasets]");
        PlaywrightAssertions.assertThat(page.locator("#datasets tr[data-dataset=" + dataset + "]"))
                .containsText("first_name, last_name, age, email");
        page.click("#datasets a:has-text('" + dataset + "')");

        // then the schema and the three imported records show
        PlaywrightAssertions.assertThat(page.locator("#dataset-name")).hasText(dataset);
        PlaywrightAssertions.assertThat(page.locator("#dataset-count")).containsText("3 records");
        PlaywrightAssertions.assertThat(page.locator("#schema tbody tr")).hasCount(4);
        PlaywrightAssertions.assertThat(page.locator("#schema tbody tr").first()).containsText("first_name");
        PlaywrightAssertions.assertThat(page.locator("#records tbody tr")).hasCount(3);
        assertThat(page.locator("#records tbody tr").allInnerTexts())
                .anySatisfy(row -> assertThat(row).contains("Ann", "Lee", "34", "ann@example.com"))
                .noneSatisfy(row -> assertThat(row).contains("Bob"));
        screenshot(page, "dataset-desktop");

        // when the dataset is exported from its page
        page.selectOption("#export-format", "csv");
        page.click("#export-dataset");

        // then the export job's page follows it to the end and offers the zipped file with the three records
        page.waitForSelector("#live[data-ended='final']");
        PlaywrightAssertions.assertThat(page.locator("#job-operation")).hasText("export");
        assertThat(chartData(page)).containsExactly(3L, 0L);
        Download exported = page.waitForDownload(() -> page.click("#batches button.download"));
        assertThat(exported.suggestedFilename()).endsWith(".csv.zip");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(exported.path()))) {
            assertThat(zip.getNextEntry()).isNotNull();
            String csv = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(csv.lines()).hasSize(4).first().isEqualTo("first_name,last_name,age,email");
            assertThat(csv).contains("Ann,Lee,34,ann@example.com").doesNotContain("Bob");
        }

        // when a file of names gets the dataset's emails appended, matched on its key
        Path names = work.resolve("names.csv");
        Files.writeString(names, "first_name,last_name\nAnn,Lee\nZed,Nobody\n");
        page.click("#nav a[data-section=new]");
        page.check("#op-append");
        page.selectOption("#append-dataset", dataset);
        PlaywrightAssertions.assertThat(page.locator("#append-match input[value=first_name]")).isChecked();
        PlaywrightAssertions.assertThat(page.locator("#append-match input[value=age]")).not().isChecked();
        PlaywrightAssertions.assertThat(page.locator("#append-fields input[value=email]")).isChecked();
        page.setInputFiles("#file-input", names);
        page.click("#start-job");

        // then one record matched and one did not, and the result carries the appended email
        page.waitForSelector("#live[data-ended='final']");
        assertThat(chartLabels(page)).containsExactly("matched", "not matched");
        assertThat(chartData(page)).containsExactly(1L, 1L);
        Download download = page.waitForDownload(() -> page.click("#batches button.download"));
        assertThat(rows(download.path())).containsExactly(List.of("first_name", "last_name", "email", "sluice_match"),
                List.of("Ann", "Lee", "ann@example.com", "exact"), List.of("Zed", "Nobody", "", "none"));
    }

    // ---- a phone ----

    @Test
    void at_phone_width_a_dropped_file_is_verified_and_no_page_scrolls_sideways() throws Exception {
        // given a phone-sized browser, signed in
        Page page = open(PHONE_WIDTH, 844);
        signIn(page, ADMIN_KEY);
        assertNoSidewaysScroll(page);
        screenshot(page, "jobs-phone");

        // when a file is dropped on the drop zone (a real drop event carrying a file)
        page.click("#nav a[data-section=new]");
        page.waitForSelector("#dropzone");
        page.evaluate("""
                () => {
                  const data = new DataTransfer();
                  data.items.add(new File(['email\\nann@example.com\\nbroken\\n'], 'dropped.csv', {type: 'text/csv'}));
                  const zone = document.querySelector('#dropzone');
                  zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: data, bubbles: true, cancelable: true}));
                  zone.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
                }""");
        PlaywrightAssertions.assertThat(page.locator("#chosen-files")).containsText("dropped.csv");
        assertNoSidewaysScroll(page);
        screenshot(page, "new-job-phone");
        page.fill("#job-name", "from a phone");
        page.click("#start-job");

        // then the job runs to the end on the phone too
        page.waitForSelector("#live[data-ended='final']");
        PlaywrightAssertions.assertThat(page.locator("#job-progress .pct")).hasText("100%");
        assertThat(chartData(page)).containsExactly(1L, 1L, 0L, 0L);
        PlaywrightAssertions.assertThat(page.locator("#batches button.download")).isVisible();
        assertNoSidewaysScroll(page);
        screenshot(page, "verify-job-phone");

        // and the datasets list fits as well
        page.click("#nav a[data-section=datasets]");
        PlaywrightAssertions.assertThat(page.locator("main h1")).hasText("Datasets");
        assertNoSidewaysScroll(page);
    }

    // ---- refusals ----

    @Test
    void an_admin_key_sees_the_preflight_checks_and_an_account_key_does_not() {
        // given an admin signed in (this server runs without DNS, so every check is skipped)
        Page page = open(1280, 900);
        signIn(page, ADMIN_KEY);

        // then the jobs page shows the node's preflight checks, and they can be run again
        PlaywrightAssertions.assertThat(page.locator("#preflight li[data-check]")).hasCount(4);
        PlaywrightAssertions.assertThat(page.locator("#preflight li[data-check='resolver']"))
                .containsText("DNS is disabled");
        PlaywrightAssertions.assertThat(page.locator("#preflight li[data-check='smtp_egress'] .badge"))
                .hasText("skipped");
        page.waitForResponse(response -> response.url().endsWith("/api/v1/verify/preflight")
                && "POST".equals(response.request().method()), () -> page.click("#preflight-run"));
        PlaywrightAssertions.assertThat(page.locator("#preflight li[data-check]")).hasCount(4);
        screenshot(page, "preflight-desktop");

        // given an account's own key
        String key = Tenant.create(http, ADMIN_KEY, "console tenant").key();
        context.close();
        Page tenant = open(1280, 900);

        // then its jobs page asks, is refused, and shows no panel
        Response refused = tenant.waitForResponse("**/api/v1/verify/preflight", () -> signIn(tenant, key));
        assertThat(refused.status()).isEqualTo(403);
        tenant.evaluate("() => new Promise((resolve) => requestAnimationFrame(resolve))");
        PlaywrightAssertions.assertThat(tenant.locator("#preflight")).hasCount(0);
        PlaywrightAssertions.assertThat(tenant.locator("#error")).isHidden();
    }

    @Test
    void a_wrong_key_shows_the_problem_details_and_stays_signed_out() {
        // given a browser that is not signed in: every page leads to sign in
        Page page = open(1280, 900);
        page.navigate(base() + "/#/jobs");
        page.waitForURL(Pattern.compile("#/signin$"));

        // when a key the server does not know is entered
        page.fill("#api-key", "sk_live_not_a_key");
        page.click("#sign-in");

        // then the API's problem details are shown, and nothing is kept
        PlaywrightAssertions.assertThat(page.locator("#error")).isVisible();
        PlaywrightAssertions.assertThat(page.locator("#error .problem-title")).hasText("Unauthorized");
        PlaywrightAssertions.assertThat(page.locator("#error .problem-detail")).hasText("the API key is not valid");
        assertThat(page.url()).endsWith("#/signin");
        assertThat(page.evaluate("() => sessionStorage.getItem('sluice.apiKey')")).isNull();
        PlaywrightAssertions.assertThat(page.locator("#nav")).isHidden();
        screenshot(page, "signin-wrong-key");
    }

    @Test
    void an_unknown_job_shows_not_found_from_the_api() {
        Page page = open(1280, 900);
        signIn(page, ADMIN_KEY);

        page.navigate(base() + "/#/jobs/job_doesnotexist");

        PlaywrightAssertions.assertThat(page.locator("#error .problem-title")).hasText("Not Found");
        PlaywrightAssertions.assertThat(page.locator("#error .problem-detail")).hasText("no job 'job_doesnotexist' in this account");
    }

    @Test
    void the_console_and_its_libraries_are_served_without_a_key_while_the_api_still_wants_one() {
        assertThat(http.get("/", null).status()).isEqualTo(200);
        assertThat(http.get("/", null).text()).contains("<title>Sluice</title>");
        Http.Response script = http.get("/console/app.js", null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).startsWith("text/javascript");
        Http.Response chart = http.get("/webjars/chart.js/dist/chart.umd.js", null);
        assertThat(chart.status()).isEqualTo(200);
        assertThat(chart.text()).contains("Chart.js");
        assertThat(http.get("/api/v1/jobs", null).status()).isEqualTo(401);
    }

    // ---- helpers ----

    private Page open(int width, int height) {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setAcceptDownloads(true));
        context.setDefaultTimeout(30_000);
        return context.newPage();
    }

    private void signIn(Page page, String key) {
        page.navigate(base() + "/");
        page.waitForURL(Pattern.compile("#/signin$"));
        page.fill("#api-key", key);
        page.click("#sign-in");
        page.waitForURL(Pattern.compile("#/jobs$"));
        PlaywrightAssertions.assertThat(page.locator("#nav")).isVisible();
    }

    private static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    private static void assertNoSidewaysScroll(Page page) {
        Object widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]");
        List<?> pair = (List<?>) widths;
        assertThat(((Number) pair.get(0)).intValue()).as("page width at %s px", pair.get(1))
                .isLessThanOrEqualTo(((Number) pair.get(1)).intValue());
    }

    private static List<Long> chartData(Page page) {
        Object data = page.evaluate("() => Chart.getChart(document.querySelector('#outcome-chart')).data.datasets[0].data");
        return ((List<?>) data).stream().map(n -> ((Number) n).longValue()).toList();
    }

    private static List<String> chartLabels(Page page) {
        Object labels = page.evaluate("() => Chart.getChart(document.querySelector('#outcome-chart')).data.labels");
        return ((List<?>) labels).stream().map(String::valueOf).toList();
    }

    private static List<Double> percentages(Object texts) {
        return ((List<?>) texts).stream().map(t -> Double.parseDouble(String.valueOf(t).replace("%", ""))).toList();
    }

    private static List<List<String>> rows(Path file) throws IOException {
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(file)) {
            return csv.stream().map(CsvRecord::getFields).toList();
        }
    }

    private static Map<String, String> verdicts(Path file) throws IOException {
        Map<String, String> verdicts = new LinkedHashMap<>();
        try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(file)) {
            List<String> header = null;
            for (CsvRecord row : csv) {
                if (header == null) {
                    header = row.getFields();
                    continue;
                }
                verdicts.put(row.getField(header.indexOf("email")), row.getField(header.indexOf("sluice_status")));
            }
        }
        return verdicts;
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }
}
