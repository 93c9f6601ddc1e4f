package dev.sluice.core.verify.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SmtpProxyTest {

    @Test
    void a_proxy_without_credentials_is_host_and_port() {
        assertThat(SmtpProxy.parse("socks5://proxy.example.net:1080"))
                .isEqualTo(new SmtpProxy("proxy.example.net", 1080, null, null));
    }

    @Test
    void user_and_password_are_percent_decoded() {
        assertThat(SmtpProxy.parse("socks5://me%40corp:p%3Ass+w@10.0.0.5:1080"))
                .isEqualTo(new SmtpProxy("10.0.0.5", 1080, "me@corp", "p:ss+w"));
    }

    @Test
    void an_ipv6_proxy_host_loses_its_brackets() {
        assertThat(SmtpProxy.parse("socks5://[::1]:1080").host()).isEqualTo("::1");
    }

    @Test
    void to_string_of_the_proxy_and_of_the_settings_never_shows_the_password() {
        SmtpProxy proxy = SmtpProxy.parse("socks5://sluice:hunter2@127.0.0.1:1080");
        SmtpSettings settings = new SmtpSettings(25, "helo.test", "", Duration.ofSeconds(1), Duration.ofSeconds(1),
                false, 10, 1, 0, new RetryPolicy(1, Duration.ZERO), proxy);

        assertThat(proxy).hasToString("socks5://sluice:***@127.0.0.1:1080");
        assertThat(settings.toString()).contains("socks5://sluice:***@127.0.0.1:1080").doesNotContain("hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://u:hunter2@host:1080", "socks5://u:hunter2@host", "socks5://u:hunter2@:1080",
            "socks5://u@host:1080", "socks5://u:hunter2@host:1080/path", "socks5://u:hunter2@host:99999",
            "u:hunter2 host"})
    void a_malformed_proxy_is_refused_without_repeating_the_password(String text) {
        assertThatThrownBy(() -> SmtpProxy.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("hunter2");
    }
}
