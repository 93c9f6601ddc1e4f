package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactListGeneratorTest {

    private static final long ROWS = 20_000;

    @TempDir
    Path dir;

    private List<String> generate(long seed) throws IOException {
        Path file = dir.resolve("list-" + seed + ".csv");
        new ContactListGenerator(seed).write(file, ROWS);
        return Files.readAllLines(file);
    }

    @Test
    void list_has_the_header_and_the_requested_rows_with_ids_in_order() throws IOException {
        List<String> lines = generate(42);

        assertThat(lines).hasSize((int) ROWS + 1);
        assertThat(lines.getFirst()).isEqualTo("id,name,email");
        assertThat(lines.get(1)).startsWith("1,");
        assertThat(lines.getLast()).startsWith(ROWS + ",");
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(3));
    }

    @Test
    void same_seed_gives_the_same_list_and_another_seed_another() throws IOException {
        assertThat(generate(7)).isEqualTo(generate(7));
        assertThat(generate(7)).isNotEqualTo(generate(8));
    }

    @Test
    void about_a_tenth_of_the_addresses_are_invalid_and_some_are_role_accounts() throws IOException {
        List<String> emails = generate(42).stream().skip(1).map(line -> line.split(",", -1)[2]).toList();

        long plausible = emails.stream().filter(ContactListGeneratorTest::looksValid).count();
        long roles = emails.stream().filter(e -> e.matches("(info|admin|sales|support|contact|billing|noreply"
                + "|office|hr|marketing)@.*")).count();

        assertThat(plausible / (double) ROWS).isBetween(0.87, 0.93);
        assertThat(roles / (double) ROWS).isBetween(0.02, 0.06);
    }

    @Test
    void addresses_spread_over_200_reserved_example_domains() throws IOException {
        Set<String> domains = generate(42).stream().skip(1)
                .map(line -> line.split(",", -1)[2])
                .filter(ContactListGeneratorTest::looksValid)
                .map(e -> e.substring(e.indexOf('@') + 1))
                .collect(Collectors.toSet());

        assertThat(domains).hasSizeBetween(150, ContactListGenerator.DOMAIN_COUNT);
        assertThat(domains).allMatch(d -> d.matches("[a-z]+[0-9]+\\.example\\.(com|net|org)"));
    }

    private static boolean looksValid(String email) {
        return email.matches("[a-z0-9_+]+(\\.[a-z0-9_+]+)*@[a-z0-9]+(\\.[a-z]+)+");
    }
}
