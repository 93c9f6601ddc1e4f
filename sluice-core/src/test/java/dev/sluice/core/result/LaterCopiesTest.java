package dev.sluice.core.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.verify.ChunkVerifier;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Copies of earlier chunks' rows, completed at assembly: the result is byte for byte what one pass over the whole
 * batch, copying verdicts as it goes, writes.
 */
class LaterCopiesTest {

    private static final List<String> COLUMNS = List.of("name", "email", "note");

    /** Rows 1 to 3, then rows 4 to 6 (4 repeats 1, 6 repeats 2; 2's verdict needs quoting). */
    private static final String FIRST_CHUNK = "Ann,ann@example.com,a\nBo,=bo@example.com,\"x, \"\"y\"\"\"\n"
            + "Cy,cy@example.com\n";
    private static final String SECOND_CHUNK = "Ann again, ann@EXAMPLE.com,b\nDee,dee@example.com,\n"
            + "Bo again,=bo@EXAMPLE.com,\"line\nbreak\"\n";

    /** Verdicts with a comma, a quote and a formula in their columns, so quoting and escaping are exercised. */
    private static final ChunkVerifier VERIFIER = cells -> cells.stream()
            .map(cell -> cell.startsWith("=")
                    ? new Verdict(VerdictStatus.INVALID, Reason.MAILBOX_NOT_FOUND, cell.trim().toLowerCase(), false,
                            false, true, "=bo@example.org, \"or\" so", false, "gateway")
                    : new Verdict(VerdictStatus.VALID, Reason.ACCEPTED, cell.trim().toLowerCase(), false))
            .toList();

    @ParameterizedTest
    @EnumSource(names = {"CSV", "JSON", "NDJSON"}) // the formats of verify results
    void copies_completed_at_assembly_give_the_bytes_of_one_pass_knowing_every_verdict(ResultFormat format)
            throws IOException {
        VerifyPass pass = new VerifyPass(VERIFIER, format, COLUMNS, 1);

        // given the two chunks run apart: the first keeps rows 1 and 2, the second leaves its copies open
        VerifyPass.HandedOut sink = new VerifyPass.HandedOut();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        pass.run(input(FIRST_CHUNK), 1, first, new ChunkDuplicates(Map.of(), Set.of(1L, 2L)), sink);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        VerifyCounts counts = pass.run(input(SECOND_CHUNK), 4, second,
                new ChunkDuplicates(Map.of(4L, 1L, 6L, 2L), Set.of()), sink);

        // when the assembly tells the first copies and patches the second part
        LaterCopies later = new LaterCopies(pass);
        ByteArrayOutputStream firsts = new ByteArrayOutputStream();
        sink.keptFirstCopies().writeTo(firsts);
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(firsts.toByteArray()), row -> true,
                (row, copy) -> later.first(row, copy.key(), copy.verdict()));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LaterCopies.write(sink.laterCopies(), file);
        List<PartPatches.Patch> patches = later.patches(LaterCopies.read(new ByteArrayInputStream(
                file.toByteArray())));
        ByteArrayOutputStream assembled = new ByteArrayOutputStream();
        ResultAssembler.assemble(format, COLUMNS, List.of(() -> new ByteArrayInputStream(first.toByteArray()),
                () -> PartPatches.apply(new ByteArrayInputStream(second.toByteArray()), patches)), assembled);

        // then the result equals one pass over the whole batch, where every copy found its verdict in the chunk
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        pass.run(input(FIRST_CHUNK + SECOND_CHUNK), 1, whole, new ChunkDuplicates(Map.of(4L, 1L, 6L, 2L), Set.of()),
                new VerifyPass.Sink() {
                });
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ResultAssembler.assemble(format, COLUMNS, List.of(() -> new ByteArrayInputStream(whole.toByteArray())),
                expected);
        assertThat(assembled.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString(StandardCharsets.UTF_8));

        // and the copies were counted apart, then by the status they took
        assertThat(counts).isEqualTo(new VerifyCounts(3, 1, 0, 0, 0, 2, 2));
        assertThat(later.copied()).isEqualTo(new VerifyCounts(2, 1, 1, 0, 0));

        // and the report the chunks and the copies counted is the one a pass over the result counts
        sink.report().add(later.report().report(Integer.MAX_VALUE));
        assertThat(sink.report().report(200)).isEqualTo(ResultReport.of(format,
                new ByteArrayInputStream(assembled.toByteArray()), "email", 200));
    }

    @Test
    void thousands_of_first_copies_across_pages_each_give_their_copies_their_own_columns() throws IOException {
        VerifyPass pass = new VerifyPass(VERIFIER, ResultFormat.CSV, COLUMNS, 1);
        VerifyPass.VerdictColumns rendered = pass.verdictColumns();
        // given 30,000 first copies of about 130 bytes of entry each (four pages), one of them with a suggestion
        // longer than a page, and row 7 told twice
        LaterCopies later = new LaterCopies(pass);
        Map<Long, Verdict> told = new HashMap<>();
        for (long row = 1; row <= 30_000; row++) {
            Verdict verdict = row == 12_345
                    ? new Verdict(VerdictStatus.INVALID, Reason.MAILBOX_NOT_FOUND, "long@example.com", false, false,
                            false, "s".repeat(LaterCopies.PAGE + 10) + "@example.com", false, null)
                    : new Verdict(VerdictStatus.values()[(int) (row % 4)], Reason.values()[(int) (row % 7)],
                            "person.number." + row + "@domain" + row % 97 + ".example.com", row % 3 == 0, false,
                            false, null, false, row % 5 == 0 ? "provider" + row % 11 : null);
            later.first(row, "key" + row + "@domain" + row % 97 + ".example.com", verdict);
            told.put(row, verdict);
        }
        Verdict again = new Verdict(VerdictStatus.VALID, Reason.ACCEPTED, "again@example.com", false);
        later.first(7, "again@example.com", again);
        told.put(7L, again);

        // when each first copy has a copy in a later part
        List<LaterCopies.Copy> copies = new ArrayList<>();
        for (long row = 1; row <= 30_000; row++) {
            copies.add(new LaterCopies.Copy(30_000 + row, row, row * 1_000));
        }
        List<PartPatches.Patch> patches = later.patches(copies);

        // then every copy gets the columns of its own first copy's last verdict, at its place
        ResultReport.Tally expected = new ResultReport.Tally();
        long[] byStatus = new long[4];
        for (int i = 0; i < patches.size(); i++) {
            PartPatches.Patch patch = patches.get(i);
            Verdict verdict = told.get(i + 1L);
            assertThat(patch.start()).isEqualTo((i + 1L) * 1_000).isEqualTo(patch.end());
            assertThat(Arrays.copyOfRange(patch.bytes(), patch.offset(), patch.offset() + patch.length()))
                    .isEqualTo(rendered.of(verdict));
            expected.add(verdict, "key" + (i + 1) + "@domain" + (i + 1) % 97 + ".example.com");
            byStatus[verdict.status().ordinal()]++;
        }
        // and counted by the status and report of that verdict
        assertThat(later.copied()).isEqualTo(new VerifyCounts(30_000, byStatus[VerdictStatus.VALID.ordinal()],
                byStatus[VerdictStatus.INVALID.ordinal()], byStatus[VerdictStatus.ACCEPT_ALL.ordinal()],
                byStatus[VerdictStatus.UNKNOWN.ordinal()]));
        assertThat(later.report().report(200)).isEqualTo(expected.report(200));
    }

    @Test
    void rows_told_and_copied_in_any_order_a_few_at_a_time_give_what_a_map_of_rows_gives() throws IOException {
        VerifyPass pass = new VerifyPass(VERIFIER, ResultFormat.CSV, COLUMNS, 1);
        VerifyPass.VerdictColumns rendered = pass.verdictColumns();
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        LaterCopies later = new LaterCopies(pass);
        Map<Long, Verdict> told = new HashMap<>();
        // given rounds that each tell a few first copies (rows drawn from two million, some told again) and then
        // patch a part whose copies ask rows told in this round or any before, as the assembly does part by part
        for (int round = 0; round < 300; round++) {
            int tells = random.nextInt(0, 200);
            for (int i = 0; i < tells; i++) {
                long row = told.isEmpty() || random.nextInt(10) > 0 ? random.nextLong(1, 2_000_001)
                        : told.keySet().iterator().next();
                Verdict verdict = new Verdict(VerdictStatus.values()[random.nextInt(4)],
                        Reason.values()[random.nextInt(Reason.values().length)], "p" + row + "@d" + row % 13 + ".example",
                        random.nextBoolean());
                later.first(row, "p" + row + "@d" + row % 13 + ".example", verdict);
                told.put(row, verdict);
            }
            if (told.isEmpty()) {
                continue;
            }
            List<Long> rows = new ArrayList<>(told.keySet());
            List<LaterCopies.Copy> copies = new ArrayList<>();
            int count = random.nextInt(1, 150);
            for (int i = 0; i < count; i++) {
                copies.add(new LaterCopies.Copy(3_000_000 + i, rows.get(random.nextInt(rows.size())), i * 7L));
            }

            // when the part's patches are asked
            List<PartPatches.Patch> patches = later.patches(copies);

            // then each copy gets the columns of the verdict last told for its first copy, at its own place
            assertThat(patches).hasSize(count);
            for (int i = 0; i < count; i++) {
                PartPatches.Patch patch = patches.get(i);
                assertThat(patch.start()).isEqualTo(copies.get(i).at());
                assertThat(Arrays.copyOfRange(patch.bytes(), patch.offset(), patch.offset() + patch.length()))
                        .isEqualTo(rendered.of(told.get(copies.get(i).firstRow())));
            }
        }
        // and a part with one copy of a row never told, in the middle of a few dozen, stops the assembly
        List<LaterCopies.Copy> copies = new ArrayList<>();
        long untold = 2_500_000;
        for (int i = 0; i < 40; i++) {
            copies.add(new LaterCopies.Copy(4_000_000 + i, i == 20 ? untold : told.keySet().iterator().next(), i));
        }
        assertThatThrownBy(() -> later.patches(copies)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("row 4000020 copies row 2500000");
    }

    @Test
    void a_released_assembly_leaves_its_pages_to_the_next_which_writes_its_own_columns_on_them() throws IOException {
        VerifyPass pass = new VerifyPass(VERIFIER, ResultFormat.CSV, COLUMNS, 1);
        VerifyPass.VerdictColumns rendered = pass.verdictColumns();
        // given an assembly of 20,000 first copies (two pages and more), released once its parts are read
        LaterCopies done = new LaterCopies(pass);
        List<LaterCopies.Copy> copies = new ArrayList<>();
        for (long row = 1; row <= 20_000; row++) {
            done.first(row, "a" + row + "@example.com", new Verdict(VerdictStatus.VALID, Reason.ACCEPTED,
                    "first.assembly.person" + row + "@example.com", false));
            copies.add(new LaterCopies.Copy(20_000 + row, row, row));
        }
        Set<byte[]> donePages = Collections.newSetFromMap(new IdentityHashMap<>());
        done.patches(copies).forEach(patch -> donePages.add(patch.bytes()));
        done.release();

        // when the next assembly tells other verdicts for the same rows
        LaterCopies next = new LaterCopies(pass);
        for (long row = 1; row <= 20_000; row++) {
            next.first(row, "b" + row + "@example.org", new Verdict(VerdictStatus.INVALID,
                    Reason.MAILBOX_NOT_FOUND, "next.one" + row + "@example.org", true));
        }
        List<PartPatches.Patch> patches = next.patches(copies);

        // then it wrote them on the released pages, and its copies get its own verdicts
        assertThat(patches).allSatisfy(patch -> assertThat(donePages).contains(patch.bytes()));
        for (int i = 0; i < patches.size(); i++) {
            PartPatches.Patch patch = patches.get(i);
            assertThat(Arrays.copyOfRange(patch.bytes(), patch.offset(), patch.offset() + patch.length()))
                    .isEqualTo(rendered.of(new Verdict(VerdictStatus.INVALID, Reason.MAILBOX_NOT_FOUND,
                            "next.one" + (i + 1) + "@example.org", true)));
        }
        assertThat(next.copied()).isEqualTo(new VerifyCounts(20_000, 0, 20_000, 0, 0));
        // and the released one refuses more work, while its counts stay readable
        assertThatThrownBy(() -> done.patches(copies)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
        assertThat(done.copied()).isEqualTo(new VerifyCounts(20_000, 20_000, 0, 0, 0));
        next.release();
    }

    @Test
    void a_copy_whose_first_copy_was_not_told_stops_the_assembly() {
        LaterCopies later = new LaterCopies(new VerifyPass(VERIFIER, ResultFormat.CSV, COLUMNS, 1));

        assertThatThrownBy(() -> later.patches(List.of(new LaterCopies.Copy(9, 2, 40))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("row 9 copies row 2");
    }

    @Test
    void copies_read_back_as_written() throws IOException {
        List<LaterCopies.Copy> copies = List.of(new LaterCopies.Copy(10_001, 3, 0),
                new LaterCopies.Copy(10_002, 9_999, 1L << 33));
        ByteArrayOutputStream file = new ByteArrayOutputStream();

        LaterCopies.write(copies, file);

        assertThat(LaterCopies.read(new ByteArrayInputStream(file.toByteArray()))).isEqualTo(copies);
        assertThat(LaterCopies.read(new ByteArrayInputStream(new byte[0]))).isEmpty();
        byte[] cut = Arrays.copyOf(file.toByteArray(), file.size() - 1);
        assertThatThrownBy(() -> LaterCopies.read(new ByteArrayInputStream(cut)))
                .isInstanceOf(java.io.EOFException.class);
    }

    private static InputStream input(String chunk) {
        return new ByteArrayInputStream(chunk.getBytes(StandardCharsets.UTF_8));
    }
}
