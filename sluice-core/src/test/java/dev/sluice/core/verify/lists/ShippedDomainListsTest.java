package dev.sluice.core.verify.lists;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShippedDomainListsTest {

    private final ShippedDomainLists lists = ShippedDomainLists.shipped();

    @TempDir
    Path dir;

    private int files;

    @Test
    void shipped_lists_hold_thousands_of_disposable_and_free_domains() {
        // then
        assertThat(lists.disposableCount()).isGreaterThan(100_000);
        assertThat(lists.freeCount()).isGreaterThan(5_000);
        assertThat(lists.roleCount()).isGreaterThanOrEqualTo(40);
        assertThat(lists.typoCount()).isGreaterThanOrEqualTo(80);
    }

    @Test
    void shipped_lists_are_loaded_once() {
        assertThat(ShippedDomainLists.shipped()).isSameAs(lists);
        assertThat(ShippedDomainLists.load(ListOverrides.NONE)).isSameAs(lists);
    }

    @Test
    void reading_ahead_on_many_threads_reads_the_lists_once() throws Exception {
        // the lists are read by now (the field above); reading ahead again starts nothing and changes nothing
        ShippedDomainLists.readAhead();
        List<Future<ShippedDomainLists>> answers = new ArrayList<>();
        try (var threads = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 8; i++) {
                answers.add(threads.submit(ShippedDomainLists::shipped));
            }
        }
        for (var answer : answers) {
            assertThat(answer.get()).isSameAs(lists);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mailinator.com", "MAILINATOR.COM", "mailinator.com.", "guerrillamail.com",
            "10minutemail.com", "yopmail.com", "sharklasers.com", "temp-mail.org"})
    void throwaway_domains_are_disposable(String domain) {
        assertThat(lists.isDisposable(domain)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gmail.com", "yahoo.com", "outlook.com", "example.com", "uw.edu.pl", "com", "", " "})
    void ordinary_domains_are_not_disposable(String domain) {
        assertThat(lists.isDisposable(domain)).isFalse();
    }

    @Test
    void null_domain_is_neither_disposable_nor_free_nor_a_typo() {
        assertThat(lists.isDisposable(null)).isFalse();
        assertThat(lists.isFree(null)).isFalse();
        assertThat(lists.isRole(null)).isFalse();
        assertThat(lists.typoCorrection(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.mailinator.com", "a.b.mailinator.com", "inbox.Mailinator.COM"})
    void subdomain_of_a_disposable_domain_is_disposable(String domain) {
        assertThat(lists.isDisposable(domain)).isTrue();
    }

    @Test
    void subdomain_rule_never_matches_the_last_label_alone() {
        // given a list holding a bare TLD
        ShippedDomainLists lists = ShippedDomainLists.load(new ListOverrides(
                write("com\nmailinator.com\n"), null, null, null));

        // then
        assertThat(lists.isDisposable("example.com")).isFalse();
        assertThat(lists.isDisposable("x.mailinator.com")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gmail.com", "GMail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com",
            "aol.com", "gmx.de", "web.de", "yandex.ru", "mail.ru", "protonmail.com", "mail.com", "ymail.com"})
    void big_mailbox_providers_are_free(String domain) {
        assertThat(lists.isFree(domain)).isTrue();
        assertThat(lists.isDisposable(domain)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "google.com", "microsoft.com", "facebook.com", "test.com",
            "mailinator.com", "gmial.com", "yaho.com", "mail.gmail.com"})
    void companies_disposable_domains_and_typos_are_not_free(String domain) {
        assertThat(lists.isFree(domain)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"info", "INFO", "info+newsletter", "Support+2024", "postmaster", "no-reply", "sales"})
    void role_local_parts_are_recognised_ignoring_case_and_tag(String local) {
        assertThat(lists.isRole(local)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"john", "john+info", "information", "infos", "+info", ""})
    void personal_local_parts_are_not_roles(String local) {
        assertThat(lists.isRole(local)).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            gmial.com     | gmail.com
            GMIAL.COM     | gmail.com
            gmai.com      | gmail.com
            gamil.com     | gmail.com
            gnail.com     | gmail.com
            gmail.co      | gmail.com
            gmail.cm      | gmail.com
            yaho.com      | yahoo.com
            yahooo.com    | yahoo.com
            hotmial.com   | hotmail.com
            hotmal.com    | hotmail.com
            outlok.com    | outlook.com
            iclod.com     | icloud.com
            aol.co        | aol.com
            comcat.net    | comcast.net
            yandx.ru      | yandex.ru
            example.con   | example.com
            example.cpm   | example.com
            example.vom   | example.com
            example.xom   | example.com
            example.comm  | example.com
            example.cim   | example.com
            example.ocm   | example.com
            example.nt    | example.net
            example.ner   | example.net
            example.ogr   | example.org
            example.orgg  | example.org
            sub.example.con | sub.example.com
            gmial.con     | gmail.com
            gmaik.com     | gmail.com
            gmaik.con     | gmail.com
            ygahoo.com    | yahoo.com
            hotmali.com   | hotmail.com
            outllook.com  | outlook.com
            icluod.com    | icloud.com
            """)
    void likely_typos_are_corrected(String domain, String correction) {
        assertThat(lists.typoCorrection(domain)).isEqualTo(correction);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gmail.com", "yahoo.com", "example.com", "example.co", "example.net", "example.org",
            "mail.com", "email.com", "ymail.com", "gmx.com", "bol.com", "aon.com", "con", "com"})
    void correct_domains_have_no_typo_correction(String domain) {
        assertThat(lists.typoCorrection(domain)).isNull();
    }

    @Test
    void shipped_typo_table_has_no_domain_that_is_also_free() {
        // A free provider in the typo table would both be flagged free and get a suggestion away from it.
        assertThat(lists.typoCount()).isPositive();
        for (String line : resourceLines(ShippedDomainLists.TYPOS_FILE)) {
            String[] parts = line.split("=");
            assertThat(lists.isFree(parts[0])).as(parts[0]).isFalse();
            assertThat(lists.isFree(parts[1])).as(parts[1]).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            gmail.com  | gmail.com  | false
            gmial.com  | gmail.com  | true
            gmaill.com | gmail.com  | true
            gmai.com   | gmail.com  | true
            gmaik.com  | gmail.com  | true
            mgail.com  | gmail.com  | true
            gmail.cmo  | gmail.com  | true
            gmial.con  | gmail.com  | false
            gmx.com    | gmail.com  | false
            ab         | ba         | true
            abc        | ca         | false
            """)
    void one_edit_means_one_insertion_deletion_substitution_or_swap(String a, String b, boolean expected) {
        assertThat(ShippedDomainLists.isOneEditAway(a, b)).isEqualTo(expected);
        assertThat(ShippedDomainLists.isOneEditAway(b, a)).isEqualTo(expected);
    }

    @Test
    void override_files_replace_their_lists_and_keep_the_others() {
        // given
        ListOverrides overrides = new ListOverrides(
                write("# ours\n\n  Throwaway.Example \n"),
                write("corp-mail.example\n"),
                write("boss\n"),
                write("gmial.com=gmail.com\ncorp-mial.example = corp-mail.example\n"));

        // when
        ShippedDomainLists lists = ShippedDomainLists.load(overrides);

        // then the override replaces, it does not merge
        assertThat(lists.disposableCount()).isEqualTo(1);
        assertThat(lists.isDisposable("throwaway.example")).isTrue();
        assertThat(lists.isDisposable("x.throwaway.example")).isTrue();
        assertThat(lists.isDisposable("mailinator.com")).isFalse();
        assertThat(lists.freeCount()).isEqualTo(1);
        assertThat(lists.isFree("corp-mail.example")).isTrue();
        assertThat(lists.isFree("gmail.com")).isFalse();
        assertThat(lists.isRole("boss+x")).isTrue();
        assertThat(lists.isRole("info")).isFalse();
        assertThat(lists.typoCount()).isEqualTo(2);
        assertThat(lists.typoCorrection("corp-mial.example")).isEqualTo("corp-mail.example");
        assertThat(lists.typoCorrection("yaho.com")).isEqualTo("yahoo.com"); // near-miss rule is code
        assertThat(lists.typoCorrection("example.con")).isEqualTo("example.com"); // TLD rule is code
    }

    @Test
    void null_override_keeps_the_shipped_list() {
        // when
        ShippedDomainLists lists = ShippedDomainLists.load(new ListOverrides(null, write("x.example\n"), null, null));

        // then the others are the shipped lists, not read again
        assertThat(lists.disposableCount()).isEqualTo(ShippedDomainLists.shipped().disposableCount());
        assertThat(lists.isDisposable("mailinator.com")).isTrue();
        assertThat(lists.isFree("gmail.com")).isFalse();
        assertThat(lists.isRole("info")).isTrue();
    }

    @Test
    void missing_override_file_fails_naming_the_file() {
        Path missing = dir.resolve("nope.txt");
        assertThatThrownBy(() -> ShippedDomainLists.load(new ListOverrides(missing, null, null, null)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void malformed_typo_line_fails_naming_the_line() {
        Path typos = write("gmial.com gmail.com\n");
        assertThatThrownBy(() -> ShippedDomainLists.load(new ListOverrides(null, null, null, typos)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gmial.com gmail.com")
                .hasMessageContaining("wrong=right");
    }

    private Path write(String content) {
        try {
            return Files.writeString(dir.resolve("list-" + files++ + ".txt"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> resourceLines(String resource) {
        try (var in = ShippedDomainLists.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
