package dev.sluice.core.result;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.sluice.core.result.ResultAssembler.IOSupplier;
import dev.sluice.core.verify.EmailVerifier;
import dev.sluice.core.verify.VerificationCache;
import dev.sluice.core.verify.VerificationEngine;
import dev.sluice.core.verify.lists.ShippedDomainLists;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the exact bytes of a result, so that work on speed cannot change what users download: a seeded list
 * mixing every kind of cell (valid, invalid, role, disposable with subdomains, free, typos, IDN, formulas,
 * quoting, short rows) goes through the offline engine and {@link VerifyPass} in chunks of 37 records and
 * is assembled; the output must equal, byte for byte, the file kept beside this test. A change of format
 * that is meant (a new column) changes those files in the same commit: a failing run leaves its output in
 * {@code target/pinned/} to compare and copy over {@code src/test/resources/dev/sluice/core/result/}.
 */
class ResultBytesPinTest {

    private static final List<String> COLUMNS = List.of("id", "email", "note");
    private static final int ROWS = 600;
    private static final int CHUNK = 37;

    private static final String[] LOCALS = {"ann", "Bob.Smith", "info", "sales+eu", "Admin", "j_doe", "x.y.z",
        "postmaster", "o'neil", "test+a+b", "émile", "a", "very.long.local.part.that.is.still.fine"};
    private static final String[] DOMAINS = {"example.com", "Example.ORG", "gmail.com", "GMAIL.com", "gmial.com",
        "yahoo.con", "hotmial.com", "outlook.nt", "mailinator.com", "a.b.mailinator.com", "yopmail.com",
        "münchen.de", "xn--mnchen-3ya.de", "example.co.uk", "co.uk", "localhost", "example.com.", "aol.cm",
        "icloud.co", "protonmail.com", "sub.example.net", "gmx.de", "[192.0.2.1]", "exa_mple.com"};
    private static final String[] BROKEN = {"", "   ", "not-an-email", "two@@example.com", "John <john@example.com>",
        "john(work)@example.com", "a b@example.com", "@example.com", "ann@", "=HYPERLINK(\"http://x\")",
        "+1@example.com", "\"quoted\"@example.com", "ann@example", "ann@-example.com", " ann@example.com "};
    private static final String[] NOTES = {"", "plain", "x, y", "line\nbreak", "say \"hi\"", "=1+1", "@SUM(A1)",
        "-2", "\ttab", "ünï"};

    @ParameterizedTest
    @EnumSource(value = ResultFormat.class, names = "XML", mode = EnumSource.Mode.EXCLUDE)
    void a_seeded_list_gives_exactly_the_pinned_result_bytes(ResultFormat format) throws IOException {
        // given
        List<String> chunks = chunks(new Random(16));
        VerifyPass pass;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VerificationEngine engine = new VerificationEngine(new EmailVerifier(), ShippedDomainLists.shipped(),
                null, null, VerificationCache.none(), new VerificationEngine.Settings(Duration.ofDays(1),
                        Duration.ofDays(1), 4), Clock.systemUTC())) {
            pass = new VerifyPass(engine, format, COLUMNS, 1);

            // when
            List<IOSupplier<InputStream>> parts = new ArrayList<>();
            long firstRow = 1;
            for (String chunk : chunks) {
                ByteArrayOutputStream part = new ByteArrayOutputStream();
                firstRow += pass.run(new ByteArrayInputStream(chunk.getBytes(StandardCharsets.UTF_8)), firstRow, part)
                        .records();
                byte[] bytes = part.toByteArray();
                parts.add(() -> new ByteArrayInputStream(bytes));
            }
            ResultAssembler.assemble(format, COLUMNS, parts, out);
        }

        // then
        String pinned = "pinned-result." + format.extension();
        try (InputStream expected = Objects.requireNonNull(getClass().getResourceAsStream(pinned), pinned)) {
            String actual = out.toString(StandardCharsets.UTF_8);
            String wanted = new String(expected.readAllBytes(), StandardCharsets.UTF_8);
            if (!actual.equals(wanted)) {
                // kept for a look, and to copy over the pinned file when the change is meant
                Files.write(Files.createDirectories(Path.of("target", "pinned")).resolve(pinned), out.toByteArray());
            }
            assertThat(actual).as("result bytes; this run's are in target/pinned/%s", pinned).isEqualTo(wanted);
        }
    }

    /** The list as chunk parts: CSV records without a header, LF-terminated, {@value #CHUNK} per part. */
    private static List<String> chunks(Random random) throws IOException {
        List<String> chunks = new ArrayList<>();
        StringWriter text = new StringWriter();
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(text);
        for (int row = 0; row < ROWS; row++) {
            String email = random.nextInt(6) == 0 ? pick(random, BROKEN)
                    : pick(random, LOCALS) + "@" + pick(random, DOMAINS);
            switch (random.nextInt(10)) {
                case 0 -> csv.writeRecord("r" + row);
                case 1 -> csv.writeRecord("r" + row, email);
                default -> csv.writeRecord("r" + row, email, pick(random, NOTES));
            }
            if ((row + 1) % CHUNK == 0 || row == ROWS - 1) {
                csv.flush();
                chunks.add(text.toString());
                text.getBuffer().setLength(0);
            }
        }
        return chunks;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
