package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.verify.smtp.SmtpRoute;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class VerifyPropertiesTest {

    @Test
    void the_list_defaults_bind_as_one_element_per_comma_separated_value() {
        VerifyProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("sluice.verify", VerifyProperties.class);

        assertThat(defaults.dns().canaries()).containsExactly("gmail.com", "outlook.com", "yahoo.com");
        assertThat(defaults.smtp().dnsbl()).containsExactly("zen.spamhaus.org", "b.barracudacentral.org");
        assertThat(defaults.smtp().retryAfter())
                .containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(45));
    }

    @Test
    void the_smtp_settings_show_the_proxy_with_its_password_masked() {
        VerifyProperties.Smtp smtp = smtp("socks5://sluice:hunter2@proxy.example.net:1080");

        assertThat(smtp.toString()).contains("proxy=socks5://sluice:***@proxy.example.net:1080")
                .doesNotContain("hunter2");
        assertThat(smtp.effectiveProxy().password()).isEqualTo("hunter2");
    }

    @Test
    void no_proxy_means_direct_connections() {
        assertThat(smtp("").effectiveProxy()).isNull();
    }

    @Test
    void a_malformed_proxy_fails_without_showing_its_password() {
        VerifyProperties.Smtp smtp = smtp("socks4://sluice:hunter2@proxy.example.net:1080");

        assertThat(smtp.toString()).contains("proxy=(malformed)").doesNotContain("hunter2");
        assertThatThrownBy(smtp::effectiveProxy).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("hunter2");
    }

    @Test
    void a_single_check_default_timeout_must_be_above_zero_and_within_the_maximum() {
        Duration max = Duration.ofSeconds(120);

        assertThat(new VerifyProperties.Single(Duration.ofSeconds(30), max, 100).defaultTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> new VerifyProperties.Single(Duration.ofSeconds(121), max, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default-timeout");
        assertThatThrownBy(() -> new VerifyProperties.Single(Duration.ZERO, max, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default-timeout");
    }

    @Test
    void routes_show_their_proxies_masked_and_a_malformed_one_fails_naming_its_key_not_its_password() {
        VerifyProperties.Smtp smtp = smtp("", Map.of(
                "microsoft", new VerifyProperties.Route("socks5://ms:hunter2@egress.example.net:1080"),
                "yahoo", new VerifyProperties.Route("direct")));
        VerifyProperties.Smtp broken = smtp("", Map.of("google", new VerifyProperties.Route("socks5://g:hunter2@x")));

        assertThat(smtp.effectiveRoutes()).containsEntry("yahoo", SmtpRoute.DIRECT)
                .containsEntry("microsoft", SmtpRoute.parse("socks5://ms:hunter2@egress.example.net:1080"));
        assertThat(smtp.toString()).contains("microsoft=socks5://ms:***@egress.example.net:1080")
                .contains("yahoo=direct").doesNotContain("hunter2");
        assertThat(broken.toString()).doesNotContain("hunter2");
        assertThatThrownBy(broken::effectiveRoutes).hasMessageContaining("sluice.verify.smtp.routes.google.proxy")
                .message().doesNotContain("hunter2");
    }

    private static VerifyProperties.Smtp smtp(String proxy) {
        return smtp(proxy, Map.of());
    }

    private static VerifyProperties.Smtp smtp(String proxy, Map<String, VerifyProperties.Route> routes) {
        return new VerifyProperties.Smtp(true, 25, "sluice.localhost", "", Duration.ofSeconds(10),
                Duration.ofSeconds(30), true, 100, 2, 10, 3, Duration.ofSeconds(30), List.of(), proxy, List.of(),
                routes, List.of());
    }
}
