package dev.sluice.server.door;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.config.SluiceProperties;
import dev.sluice.server.ingest.UrlSigner;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Where links point, for every door: the configured public URL, else the request's own base. */
class PublicUrlsTest {

    private static final UrlSigner.Signed SIGNED = new UrlSigner.Signed("/api/v1/transfers/b1", Instant.EPOCH,
            "expires=0&signature=s");

    @BeforeEach
    void a_request_to_an_internal_address() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/jobs");
        request.setScheme("http");
        request.setServerName("10.1.2.3");
        request.setServerPort(8080);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }

    @AfterEach
    void no_request() {
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void links_follow_the_configured_public_url_without_its_trailing_slashes() {
        // given
        PublicUrls urls = new PublicUrls(new SluiceProperties(Path.of("."), null, "https://sluice.example.com//"));

        // when / then
        assertThat(urls.base()).isEqualTo("https://sluice.example.com");
        assertThat(urls.configured()).isEqualTo("https://sluice.example.com");
        assertThat(urls.host()).isEqualTo("sluice.example.com");
        assertThat(urls.absolute(SIGNED))
                .isEqualTo("https://sluice.example.com/api/v1/transfers/b1?expires=0&signature=s");
        assertThat(urls.requestBase()).isEqualTo("http://10.1.2.3:8080");
    }

    @Test
    void without_a_public_url_links_follow_the_request() {
        // given
        PublicUrls urls = new PublicUrls(new SluiceProperties(Path.of("."), null, " "));

        // when / then
        assertThat(urls.configured()).isNull();
        assertThat(urls.base()).isEqualTo("http://10.1.2.3:8080");
        assertThat(urls.host()).isEqualTo("10.1.2.3");
        assertThat(urls.absolute(SIGNED)).isEqualTo("http://10.1.2.3:8080/api/v1/transfers/b1?expires=0&signature=s");
    }
}
