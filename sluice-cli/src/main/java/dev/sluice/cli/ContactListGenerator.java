package dev.sluice.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a synthetic contact list {@code id,name,email} for benchmarks: about 90 % syntactically valid
 * addresses spread over 200 domains, about 10 % invalid ones of several kinds, and some role accounts.
 * The same seed and row count always give the same file.
 *
 * <p>Every domain is a subdomain of the IANA-reserved {@code example.com/net/org}, so a verifier that
 * looks up DNS or talks SMTP never reaches anyone's real mail server.
 */
final class ContactListGenerator {

    static final String HEADER = "id,name,email";
    static final int DOMAIN_COUNT = 200;

    private static final String[] FIRST = {
            "anna", "ben", "carla", "david", "emma", "felix", "grace", "hugo", "ines", "jonas",
            "kira", "liam", "maya", "noah", "olga", "paul", "rosa", "sam", "tara", "umar",
            "vera", "will", "xenia", "yusuf", "zoe", "adele", "bruno", "chloe", "dmitri", "elena"};
    private static final String[] LAST = {
            "smith", "mueller", "garcia", "rossi", "dubois", "novak", "silva", "jensen", "kowalski", "tanaka",
            "brown", "martin", "lopez", "bianchi", "moreau", "horvat", "costa", "larsen", "nowak", "sato",
            "wilson", "weber", "perez", "romano", "laurent", "kovac", "santos", "hansen", "wojcik", "ito"};
    private static final String[] ROLES = {
            "info", "admin", "sales", "support", "contact", "billing", "noreply", "office", "hr", "marketing"};
    private static final String[] WORDS = {
            "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "soylent", "tyrell",
            "cyberdyne", "aperture", "gringotts", "oscorp", "vandelay", "dunder", "prestige", "massive",
            "monarch", "sterling"};
    private static final String[] TLDS = {"example.com", "example.net", "example.org"};

    private final String[] domains = new String[DOMAIN_COUNT];
    private final SplittableRandom random;

    ContactListGenerator(long seed) {
        for (int i = 0; i < DOMAIN_COUNT; i++) {
            domains[i] = WORDS[i % WORDS.length] + (i / WORDS.length) + "." + TLDS[i % TLDS.length];
        }
        this.random = new SplittableRandom(seed);
    }

    /** Writes {@code rows} records after the header to {@code file}, replacing it. */
    void write(Path file, long rows) throws IOException {
        try (BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16)) {
            out.write(HEADER);
            out.write('\n');
            StringBuilder line = new StringBuilder(96);
            for (long id = 1; id <= rows; id++) {
                line.setLength(0);
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                line.append(id).append(',')
                        .append(capitalise(first)).append(' ').append(capitalise(last)).append(',');
                appendEmail(line, first, last);
                line.append('\n');
                out.append(line);
            }
        }
    }

    private void appendEmail(StringBuilder line, String first, String last) {
        // Domains are skewed like real lists: a few big ones, a long tail.
        String domain = domains[(int) Math.min(DOMAIN_COUNT - 1, Math.abs(random.nextGaussian()) * DOMAIN_COUNT / 2.5)];
        int roll = random.nextInt(100);
        if (roll < 10) {
            appendInvalid(line, first, last, domain);
        } else if (roll < 14) {
            line.append(ROLES[random.nextInt(ROLES.length)]).append('@').append(domain);
        } else {
            switch (random.nextInt(4)) {
                case 0 -> line.append(first).append('.').append(last);
                case 1 -> line.append(first.charAt(0)).append(last);
                case 2 -> line.append(first).append('_').append(last).append(random.nextInt(100));
                default -> line.append(first).append('.').append(last).append('+').append("news");
            }
            line.append('@').append(domain);
        }
    }

    private void appendInvalid(StringBuilder line, String first, String last, String domain) {
        switch (random.nextInt(8)) {
            case 0 -> line.append(first).append('.').append(last).append('.').append(domain);
            case 1 -> line.append(first).append("..").append(last).append('@').append(domain);
            case 2 -> line.append(first).append('.').append(last).append('@');
            case 3 -> line.append('@').append(domain);
            case 4 -> line.append(first).append(' ').append(last).append('@').append(domain);
            case 5 -> line.append(first).append("@@").append(domain);
            case 6 -> line.append('.').append(first).append('@').append(domain);
            default -> line.append(first).append('@').append(domain.replace(".", ".."));
        }
    }

    private static String capitalise(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
