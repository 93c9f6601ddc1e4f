package dev.sluice.core.verify.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderTableTest {

    @ParameterizedTest
    @CsvSource({
            "gmail-smtp-in.l.google.com, google",
            "aspmx.l.google.com, google",
            "ALT1.ASPMX.L.GOOGLE.COM., google",
            "alt2.aspmx.l.googlemail.com, google",
            "example-com.mail.protection.outlook.com, microsoft",
            "hotmail-com.olc.protection.outlook.com, microsoft",
            "mta7.am0.yahoodns.net, yahoo",
            "mx-aol.mail.gm0.yahoodns.net, yahoo",
            "mx01.mail.icloud.com, apple",
            "mx.zoho.eu, zoho",
            "mx.yandex.net, yandex",
            "mxs.mail.ru, mailru",
            "mx00.emig.gmx.net, gmx",
            "mx-ha03.web.de, gmx",
            "mx1.mail.ovh.net, ovh",
            "mx0a-001.pphosted.com, proofpoint",
            "eu-smtp-inbound-1.mimecast.com, mimecast",
            "d123.ess.barracudanetworks.com, barracuda",
            "mx1.hc1234-56.iphmx.com, ironport",
            "mail.example.org, other",
            "google.com.evil.example, other",
            "notgoogle.com, other"})
    void the_shipped_table_names_the_provider_of_an_mx_host(String host, String provider) {
        assertThat(ProviderTable.shipped().forMxHosts(List.of(host)).name()).isEqualTo(provider);
    }

    @Test
    void the_first_mx_host_a_pattern_matches_decides() {
        ProviderTable table = ProviderTable.shipped();

        assertThat(table.forMxHosts(List.of("mx.example.org", "mx0a.pphosted.com", "aspmx.l.google.com")).name())
                .isEqualTo("proofpoint");
        assertThat(table.forMxHosts(List.of()).name()).isEqualTo("other");
    }

    @Test
    void the_shipped_table_claims_yahoo_and_the_gateways_answer_every_rcpt() {
        ProviderTable table = ProviderTable.shipped();

        assertThat(table.providers()).filteredOn(Provider::rcptMeaningless).extracting(Provider::name)
                .containsExactlyInAnyOrder("yahoo", "proofpoint", "mimecast", "barracuda", "ironport");
        assertThat(table.named("google")).get().extracting(Provider::maxConnections).isEqualTo(5);
        assertThat(table.other()).isEqualTo(new Provider("other", 0, 0, false));
    }

    @Test
    void a_file_replaces_the_shipped_table_and_the_longest_pattern_wins(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("providers.txt");
        Files.writeString(file, """
                # ours
                corp      1   10  false  *.corp.example
                corp-eu   2   20  true   *.eu.corp.example
                other     0    0  false
                """);

        // when
        ProviderTable table = ProviderTable.load(file);

        // then
        assertThat(table.forMxHosts(List.of("mx.eu.corp.example"))).isEqualTo(new Provider("corp-eu", 2, 20, true));
        assertThat(table.forMxHosts(List.of("mx.us.corp.example")).name()).isEqualTo("corp");
        assertThat(table.forMxHosts(List.of("aspmx.l.google.com")).name()).isEqualTo("other");
        assertThat(table.named("google")).isEmpty();
    }

    @Test
    void a_broken_file_is_refused_naming_the_line(@TempDir Path dir) throws IOException {
        Path noOther = Files.writeString(dir.resolve("a.txt"), "corp 1 10 false *.corp.example\n");
        Path badFlag = Files.writeString(dir.resolve("b.txt"), "other 0 0 false\ncorp 1 10 maybe *.corp.example\n");
        Path twice = Files.writeString(dir.resolve("c.txt"), "other 0 0 false\na 1 1 false x.example\n"
                + "b 1 1 false X.example\n");
        Path badPattern = Files.writeString(dir.resolve("d.txt"), "other 0 0 false\na 1 1 false mx*.example\n");
        Path negative = Files.writeString(dir.resolve("e.txt"), "other 0 -1 false\n");

        assertThatThrownBy(() -> ProviderTable.load(noOther)).hasMessageContaining("must name the provider 'other'");
        assertThatThrownBy(() -> ProviderTable.load(badFlag)).hasMessageContaining("line 2")
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> ProviderTable.load(twice)).hasMessageContaining("line 3")
                .hasMessageContaining("already belongs to a");
        assertThatThrownBy(() -> ProviderTable.load(badPattern)).hasMessageContaining("host name or *.suffix");
        assertThatThrownBy(() -> ProviderTable.load(negative)).hasMessageContaining("line 1");
    }
}
