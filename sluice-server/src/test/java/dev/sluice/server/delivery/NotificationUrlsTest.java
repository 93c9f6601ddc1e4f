package dev.sluice.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.account.AccountService;
import dev.sluice.server.support.Http;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one notification URL rule, as the native API and the delivery worker apply it, on a server that keeps
 * the default {@code sluice.delivery.allow-http=false}. Before the rule the API accepted a plain http URL
 * that the worker then refused on every attempt; now both refuse it with the same sentence. The worker is
 * handed a row as the old API wrote it (no address is ever called: the refusal comes before any connect).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // the server writes into its data directory until it stops: stop it before the directory goes
class NotificationUrlsTest {

    static final String ADMIN_KEY = "sk_test_admin_key_for_notification_urls";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("sluice.data-dir", dataDir::toString);
        registry.add("SLUICE_BOOTSTRAP_API_KEY", () -> ADMIN_KEY);
        registry.add("sluice.verify.dns.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    NotificationUrls urls;

    @Autowired
    DeliveryStore store;

    @Autowired
    DeliveryWorker worker;

    @Autowired
    AccountService accounts;

    Http http;

    @BeforeEach
    void client() {
        http = new Http("http://127.0.0.1:" + port);
    }

    @Test
    void native_api_refuses_a_plain_http_url_with_the_sentence_the_delivery_worker_refuses_it_with() {
        // given a plain http notification URL on a server that does not allow http
        String url = "http://hooks.example.com/sluice";

        // when the native API is asked to create a job with it
        Http.Response created = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"n\",\"operation\":\"verify\","
                + "\"notification\":{\"url\":\"" + url + "\",\"method\":\"POST\"}}");

        // and the delivery worker is handed an outbox row with the same URL (as the API wrote them before)
        String accountId = accountOfAdmin();
        String deliveryId = "dlv_http_before_the_rule";
        assertThat(store.insert(deliveryId, accountId, "job_x", "bat_x", url, "POST", "batch.completed", "{}",
                Instant.now())).isTrue();
        Optional<Instant> next = worker.send(deliveryId + "/0");

        // then the API refuses with 400, the worker fails the delivery at once, and both give one reason
        assertThat(created.status()).isEqualTo(400);
        String apiDetail = created.json().get("detail").asString();
        assertThat(apiDetail).isEqualTo("'notification.url' must be https; an operator can allow http with "
                + "sluice.delivery.allow-http");
        Delivery delivery = store.findById(deliveryId).orElseThrow();
        assertThat(next).isEmpty();
        assertThat(delivery.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(delivery.lastError()).isEqualTo("the notification URL must be https; an operator can allow http "
                + "with sluice.delivery.allow-http");
        assertThat(apiDetail.substring("'notification.url' ".length()))
                .isEqualTo(delivery.lastError().substring("the notification URL ".length()));
    }

    @Test
    void native_api_still_accepts_an_https_url() {
        // given / when
        Http.Response created = http.postJson("/api/v1/jobs", ADMIN_KEY, "{\"name\":\"n\",\"operation\":\"verify\","
                + "\"notification\":{\"url\":\"https://hooks.example.com/sluice\",\"method\":\"GET\"}}");

        // then
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("notification").get("url").asString())
                .isEqualTo("https://hooks.example.com/sluice");
    }

    @Test
    void the_rule_accepts_https_and_refuses_everything_else_while_http_is_not_allowed() {
        // given the rule of this server (allow-http off)
        assertThat(urls.allowHttp()).isFalse();

        // when / then
        assertThat(urls.refusal("https://hooks.example.com/x?a=1")).isEmpty();
        assertThat(urls.refusal(" https://user:secret@hooks.example.com:8443/x ")).isEmpty();
        assertThat(reason("http://hooks.example.com/x")).contains(NotificationUrls.Reason.PLAIN_HTTP);
        assertThat(reason("ftp://hooks.example.com/x")).contains(NotificationUrls.Reason.SCHEME);
        assertThat(reason("hooks.example.com/x")).contains(NotificationUrls.Reason.SCHEME);
        assertThat(reason("https:///x")).contains(NotificationUrls.Reason.NO_HOST);
        assertThat(reason("https://hooks example.com/")).contains(NotificationUrls.Reason.NOT_A_URI);
        assertThat(reason(null)).contains(NotificationUrls.Reason.SCHEME);
    }

    @Test
    void the_rule_accepts_plain_http_where_the_operator_allows_it() {
        // given an operator who allows http
        NotificationUrls allowing = new NotificationUrls(new DeliveryProperties(true, java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1), List.of()));

        // when / then: http passes, other schemes still do not
        assertThat(allowing.refusal("http://127.0.0.1:8080/hook")).isEmpty();
        assertThat(allowing.refusal("ftp://127.0.0.1/hook").map(NotificationUrls.Refusal::reason))
                .contains(NotificationUrls.Reason.SCHEME);
    }

    private Optional<NotificationUrls.Reason> reason(String url) {
        return urls.refusal(url).map(NotificationUrls.Refusal::reason);
    }

    private String accountOfAdmin() {
        return accounts.authenticate(ADMIN_KEY).orElseThrow().account().id();
    }
}
