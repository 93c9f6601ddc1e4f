package dev.sluice.core.verify.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsSettingsTest {

    @Test
    void server_list_reads_ipv4_and_bracketed_ipv6_with_ports() throws Exception {
        // when
        List<InetSocketAddress> servers = DnsSettings.parseServers("127.0.0.1:5353, [::1]:53");

        // then
        assertThat(servers).containsExactly(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5353),
                new InetSocketAddress(InetAddress.getByName("::1"), 53));
    }

    @Test
    void server_without_port_uses_port_53() throws Exception {
        // when
        List<InetSocketAddress> servers = DnsSettings.parseServers("9.9.9.9,[2620:fe::fe],::1");

        // then
        assertThat(servers).extracting(InetSocketAddress::getPort).containsExactly(53, 53, 53);
        assertThat(servers).extracting(InetSocketAddress::getAddress).containsExactly(
                InetAddress.getByName("9.9.9.9"), InetAddress.getByName("2620:fe::fe"), InetAddress.getByName("::1"));
    }

    @Test
    void blank_server_list_means_the_system_resolvers() {
        // when / then
        assertThat(DnsSettings.parseServers("")).isEmpty();
        assertThat(DnsSettings.parseServers(" , ")).isEmpty();
        assertThat(DnsSettings.parseServers(null)).isEmpty();
    }

    @Test
    void unreadable_server_entries_are_rejected_naming_the_entry() {
        // when / then
        assertThatThrownBy(() -> DnsSettings.parseServers("127.0.0.1:domain"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'127.0.0.1:domain'");
        assertThatThrownBy(() -> DnsSettings.parseServers("127.0.0.1:70000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 65535");
        assertThatThrownBy(() -> DnsSettings.parseServers("[::1:53"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closing ']'");
        assertThatThrownBy(() -> DnsSettings.parseServers(":53"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host is missing");
    }

    @Test
    void settings_reject_a_non_positive_timeout_or_concurrency() {
        // given
        DnsSettings defaults = DnsSettings.defaults();

        // when / then
        assertThatThrownBy(() -> defaults.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxConcurrentLookups(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withCacheTtls(Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaults_use_the_system_resolvers() {
        // when
        DnsSettings defaults = DnsSettings.defaults();

        // then
        assertThat(defaults.servers()).isEmpty();
        assertThat(defaults.timeout()).isEqualTo(DnsSettings.DEFAULT_TIMEOUT);
        assertThat(defaults.maxConcurrentLookups()).isEqualTo(DnsSettings.DEFAULT_MAX_CONCURRENT_LOOKUPS);
    }
}
