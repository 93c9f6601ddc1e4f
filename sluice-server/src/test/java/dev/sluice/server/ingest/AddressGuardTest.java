package dev.sluice.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The address rule, decided on addresses alone: every case here is an IP literal (never looked up) or an
 * address handed over already resolved, and nothing connects anywhere.
 */
class AddressGuardTest {

    private final AddressGuard none = AddressGuard.allowing("sluice.fetch.allow", List.of());

    @ParameterizedTest
    @ValueSource(strings = {
            // IPv4 special-purpose registry, multicast, reserved and broadcast
            "0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.8.9.10", "169.254.169.254", "172.16.0.1",
            "192.0.0.8", "192.0.2.1", "192.31.196.1", "192.52.193.1", "192.88.99.1", "192.168.1.1",
            "192.175.48.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
            "233.252.0.1", "240.0.0.1", "255.255.255.255",
            // IPv6 special-purpose registry
            "[::]", "[::1]", "[64:ff9b:1::1]", "[100::1]", "[100:0:0:1::1]", "[2001::1]", "[2001:db8::1]",
            "[2620:4f:8000::1]", "[3fff::1]", "[5f00::1]", "[fd00::1]", "[fe80::1]", "[fec0::1]", "[ff02::1]",
            // IPv6 forms embedding a forbidden IPv4: mapped, translated, compatible, NAT64, 6to4
            "[::ffff:127.0.0.1]", "[::ffff:0:7f00:1]", "[::127.0.0.1]", "[::a9fe:a9fe]", "[::10.0.0.1]",
            "[64:ff9b::7f00:1]", "[64:ff9b::a9fe:a9fe]", "[64:ff9b::192.168.0.1]", "[2002:7f00:1::]",
            "[2002:a9fe:a9fe::1]", "[2002:c000:201::1]"})
    void special_purpose_addresses_are_refused_without_an_allow_entry(String host) {
        assertThat(none.refusal(host, 80)).as(host).hasValueSatisfying(refusal -> {
            assertThat(refusal.kind()).isEqualTo(AddressGuard.Kind.INTERNAL);
            assertThat(refusal.message("source")).contains("sluice.fetch.allow");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.215.14", "1.1.1.1", "[2606:4700:4700::1111]", "[2a00:1450::1]",
            // NAT64 and 6to4 of a public IPv4 stay usable
            "[64:ff9b::808:808]", "[2002:808:808::1]"})
    void globally_reachable_addresses_pass(String host) {
        assertThat(none.refusal(host, 443)).as(host).isEmpty();
    }

    @Test
    void an_allow_entry_with_a_port_allows_that_port_only() {
        AddressGuard guard = AddressGuard.allowing("sluice.fetch.allow", List.of("127.0.0.1:9000", "[::1]:9001", "10.0.0.5"));

        assertThat(guard.refusal("127.0.0.1", 9000)).isEmpty();
        assertThat(guard.refusal("127.0.0.1", 8080)).isPresent();
        assertThat(guard.refusal("[::1]", 9001)).isEmpty();
        assertThat(guard.refusal("[::1]", 9000)).isPresent();
        // without a port, every port
        assertThat(guard.refusal("10.0.0.5", 21)).isEmpty();
        assertThat(guard.refusal("10.0.0.5", 65535)).isEmpty();
        // another encoding of an allowed address is not the allowed address
        assertThat(guard.refusal("[::127.0.0.1]", 9000)).isPresent();
    }

    @Test
    void an_allow_entry_naming_a_host_is_matched_by_name_and_port() throws Exception {
        AddressGuard guard = AddressGuard.allowing("sluice.fetch.allow", List.of("files.internal.example.net:2121"));
        InetAddress resolved = InetAddress.getByName("10.9.8.7");

        assertThat(guard.refusal("files.internal.example.net", resolved, 2121)).isEmpty();
        assertThat(guard.refusal("files.internal.example.net", resolved, 22)).isPresent();
        assertThat(guard.refusal("other.example.net", resolved, 2121)).isPresent();
    }

    @Test
    void an_address_resolved_by_the_caller_is_judged_like_a_literal() throws Exception {
        assertThat(none.refusal("mx.example.net", InetAddress.getByName("192.0.2.25"), 25))
                .hasValueSatisfying(r -> assertThat(r.address()).isEqualTo("192.0.2.25"));
        assertThat(none.refusal("mx.example.net", InetAddress.getByName("8.8.4.4"), 25)).isEmpty();
    }

    @Test
    void an_allow_entry_with_a_bad_port_is_refused_at_start() {
        assertThatThrownBy(() -> AddressGuard.allowing("sluice.fetch.allow", List.of("127.0.0.1:http")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
        assertThat(AddressGuard.allowing("sluice.verify.smtp.allow", List.of()).refusal("10.0.0.1", 25))
                .hasValueSatisfying(r -> assertThat(r.message("MX")).contains("sluice.verify.smtp.allow"));
        assertThatThrownBy(() -> AddressGuard.allowing("sluice.fetch.allow", List.of("127.0.0.1:70000")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
