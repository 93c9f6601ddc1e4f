package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyPropertiesTest {

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

    private static VerifyProperties.Smtp smtp(String proxy) {
        return new VerifyProperties.Smtp(true, 25, "sluice.localhost", "", Duration.ofSeconds(10),
                Duration.ofSeconds(30), true, 100, 2, 10, 3, Duration.ofSeconds(30), List.of(), proxy,
                List.of());
    }
}
