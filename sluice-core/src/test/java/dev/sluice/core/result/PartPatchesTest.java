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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class PartPatchesTest {

    private static final List<String> COLUMNS = List.of("name", "email", "note");

    /** Rows 1 and 3 are answered "try again later" first; row 3 quotes a comma and a line break. */
    private static final String CHUNK = "Ann,ann@grey.example,first\nBob,bob@fine.example\n"
            + "Cy,=cy@grey.example,\"x, \"\"y\"\"\nz\"\nDee,dee@fine.example,last\n";

    private static final Map<String, Verdict> LATER = Map.of(
            "ann@grey.example", verdict(VerdictStatus.VALID, Reason.ACCEPTED, "ann@grey.example"),
            "=cy@grey.example", verdict(VerdictStatus.INVALID, Reason.MAILBOX_NOT_FOUND, "=cy@grey.example"));

    private static Verdict verdict(VerdictStatus status, Reason reason, String address) {
        return new Verdict(status, reason, address, false);
    }

    /** First answers: temporary for the grey domain, valid for the others. */
    private static final ChunkVerifier FIRST = cells -> cells.stream()
            .map(cell -> cell.contains("@grey.")
                    ? verdict(VerdictStatus.UNKNOWN, Reason.GREYLISTED, cell)
                    : verdict(VerdictStatus.VALID, Reason.ACCEPTED, cell))
            .toList();

    /** The answers a pass would have had, had it known the later ones. */
    private static final ChunkVerifier KNOWING = cells -> cells.stream()
            .map(cell -> LATER.getOrDefault(cell, verdict(VerdictStatus.VALID, Reason.ACCEPTED, cell)))
            .toList();

    @ParameterizedTest
    @EnumSource(value = ResultFormat.class, names = {"CSV", "JSON", "NDJSON"})
    void patched_part_is_byte_identical_to_a_part_written_with_the_later_verdicts(ResultFormat format)
            throws IOException {
        // given a part written with provisional verdicts, its greylisted rows marked
        VerifyPass pass = new VerifyPass(FIRST, format, COLUMNS, 1);
        List<VerifyPass.MarkedRow> marked = new ArrayList<>();
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        VerifyCounts counts = pass.run(input(), 11, part, v -> v.reason() == Reason.GREYLISTED, marked::add);

        // when the marked rows are rendered with their later verdicts and patched in
        List<PartPatches.Patch> patches = new ArrayList<>();
        for (VerifyPass.MarkedRow row : marked) {
            patches.add(new PartPatches.Patch(row.start(), row.end(),
                    pass.render(row.fields(), row.row(), LATER.get(row.cell()))));
        }
        byte[] patched;
        try (InputStream in = PartPatches.apply(new ByteArrayInputStream(part.toByteArray()), patches)) {
            patched = in.readAllBytes();
        }

        // then the part is what a pass knowing the later verdicts writes, byte for byte
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        new VerifyPass(KNOWING, format, COLUMNS, 1).run(input(), 11, direct);
        assertThat(marked).extracting(VerifyPass.MarkedRow::row).containsExactly(11L, 13L);
        assertThat(marked).extracting(VerifyPass.MarkedRow::cell).containsExactly("ann@grey.example",
                "=cy@grey.example");
        assertThat(counts.unknown()).isEqualTo(2);
        assertThat(new String(patched, StandardCharsets.UTF_8)).isEqualTo(direct.toString(StandardCharsets.UTF_8));
        assertThat(patched).isNotEqualTo(part.toByteArray());
    }

    @Test
    void a_marked_row_spans_exactly_the_bytes_render_gives() throws IOException {
        // given a CSV part with every row marked
        VerifyPass pass = new VerifyPass(FIRST, ResultFormat.JSON, COLUMNS, 1);
        List<VerifyPass.MarkedRow> marked = new ArrayList<>();
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        pass.run(input(), 1, part, v -> true, marked::add);

        // then each span holds the row's rendering with the same verdict, and commas lie between spans only
        byte[] bytes = part.toByteArray();
        for (VerifyPass.MarkedRow row : marked) {
            byte[] span = java.util.Arrays.copyOfRange(bytes, (int) row.start(), (int) row.end());
            assertThat(span).isEqualTo(pass.render(row.fields(), row.row(), row.verdict()));
        }
        assertThat(marked).hasSize(4);
        assertThat(marked.get(0).start()).isZero();
        assertThat(marked.get(3).end()).isEqualTo(bytes.length);
    }

    @Test
    void with_duplicates_a_copy_of_a_deferred_address_is_marked_as_its_copy() throws IOException {
        // given a chunk where row 3 repeats row 1's greylisted address and row 4 repeats row 2's
        String chunk = "Ann,ann@grey.example,first\nBob,bob@fine.example\nAnn again, ann@GREY.example\n"
                + "Bob again,bob@FINE.example\n";
        ChunkDuplicates duplicates = new ChunkDuplicates(Map.of(3L, 1L, 4L, 2L), java.util.Set.of());
        VerifyPass pass = new VerifyPass(FIRST, ResultFormat.CSV, COLUMNS, 1);
        List<VerifyPass.MarkedRow> marked = new ArrayList<>();
        ByteArrayOutputStream part = new ByteArrayOutputStream();

        // when the pass folds the copies and marks greylisted rows
        VerifyCounts counts = pass.run(new ByteArrayInputStream(chunk.getBytes(StandardCharsets.UTF_8)), 1, part,
                duplicates, new VerifyPass.Sink() {
                    @Override
                    public boolean marks(Verdict verdict) {
                        return verdict.reason() == Reason.GREYLISTED;
                    }

                    @Override
                    public void marked(VerifyPass.MarkedRow row) {
                        marked.add(row);
                    }
                });

        // then the copy took its first copy's provisional verdict and is written and marked as a copy of row 1
        assertThat(marked).extracting(VerifyPass.MarkedRow::row).containsExactly(1L, 3L);
        assertThat(marked).extracting(VerifyPass.MarkedRow::duplicateOf).containsExactly(0L, 1L);
        byte[] bytes = part.toByteArray();
        VerifyPass.MarkedRow copy = marked.get(1);
        assertThat(java.util.Arrays.copyOfRange(bytes, (int) copy.start(), (int) copy.end()))
                .isEqualTo(pass.render(copy.fields(), 3, copy.verdict(), 1));
        assertThat(counts.duplicates()).isEqualTo(2);
        assertThat(counts.unknown()).isEqualTo(2);
        List<String> lines = part.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).contains(",3,unknown,greylisted,").endsWith(",1");
        assertThat(lines.get(3)).contains(",4,valid,accepted,").endsWith(",2");
    }

    @Test
    void overlapping_patches_are_refused() {
        List<PartPatches.Patch> patches = List.of(new PartPatches.Patch(0, 5, new byte[0]),
                new PartPatches.Patch(4, 6, new byte[0]));

        assertThatThrownBy(() -> PartPatches.apply(new ByteArrayInputStream(new byte[10]), patches))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlap");
    }

    @Test
    void patches_anywhere_in_a_large_part_read_in_any_sizes_give_the_spliced_bytes() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int round = 0; round < 40; round++) {
            // given a part of up to 300 KB (several of the reader's 64 KB buffers), served in pieces of random size,
            // and patches that insert bytes (as copies' verdicts do) or replace a span, some across a buffer's end,
            // one at the very start and one at the very end
            byte[] part = new byte[random.nextInt(1, 300_000)];
            random.nextBytes(part);
            List<PartPatches.Patch> patches = new ArrayList<>();
            long at = random.nextBoolean() ? 0 : random.nextInt(0, 50);
            while (at <= part.length) {
                long end = random.nextInt(4) == 0 ? Math.min(part.length, at + random.nextInt(0, 70_000)) : at;
                byte[] bytes = new byte[random.nextInt(0, 40)];
                random.nextBytes(bytes);
                int offset = bytes.length == 0 ? 0 : random.nextInt(0, bytes.length);
                patches.add(new PartPatches.Patch(at, end, bytes, offset, bytes.length - offset));
                at = end + random.nextInt(1, 3_000);
            }
            if (patches.get(patches.size() - 1).end() < part.length && random.nextBoolean()) {
                patches.add(new PartPatches.Patch(part.length, part.length, new byte[] {'!'}));
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            int from = 0;
            for (PartPatches.Patch patch : patches) {
                expected.write(part, from, (int) patch.start() - from);
                expected.write(patch.bytes(), patch.offset(), patch.length());
                from = (int) patch.end();
            }
            expected.write(part, from, part.length - from);

            // when read through the patches in reads of random sizes, copied whole (as the assembly does), and
            // copied whole after a first byte read alone (as the JSON assembly does)
            InputStream patched = PartPatches.apply(pieces(part, random), patches);
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[random.nextInt(1, 20_000)];
            for (int n; (n = patched.read(buffer, 0, random.nextInt(1, buffer.length + 1))) >= 0; ) {
                read.write(buffer, 0, n);
            }
            ByteArrayOutputStream copied = new ByteArrayOutputStream();
            long count = PartPatches.apply(pieces(part, random), patches).transferTo(copied);
            ByteArrayOutputStream afterOne = new ByteArrayOutputStream();
            try (InputStream again = PartPatches.apply(pieces(part, random), patches)) {
                int first = again.read();
                if (first >= 0) {
                    afterOne.write(first);
                    again.transferTo(afterOne);
                }
            }

            // then each is the part with each patch spliced in
            assertThat(read.toByteArray()).isEqualTo(expected.toByteArray());
            assertThat(copied.toByteArray()).isEqualTo(expected.toByteArray());
            assertThat(count).isEqualTo(expected.size());
            assertThat(afterOne.toByteArray()).isEqualTo(expected.toByteArray());
        }
        // and a part that ends before a patch, or inside the span a patch replaces, is refused
        assertThatThrownBy(() -> PartPatches.apply(new ByteArrayInputStream(new byte[10]),
                List.of(new PartPatches.Patch(12, 12, new byte[1]))).readAllBytes())
                .isInstanceOf(IOException.class).hasMessageContaining("before its patch at byte 12");
        assertThatThrownBy(() -> PartPatches.apply(new ByteArrayInputStream(new byte[10]),
                List.of(new PartPatches.Patch(5, 15, new byte[1]))).readAllBytes())
                .isInstanceOf(java.io.EOFException.class);
        assertThatThrownBy(() -> PartPatches.apply(new ByteArrayInputStream(new byte[10]),
                List.of(new PartPatches.Patch(12, 12, new byte[1]))).transferTo(new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class).hasMessageContaining("before its patch at byte 12");
        assertThatThrownBy(() -> PartPatches.apply(new ByteArrayInputStream(new byte[10]),
                List.of(new PartPatches.Patch(5, 15, new byte[1]))).transferTo(new ByteArrayOutputStream()))
                .isInstanceOf(java.io.EOFException.class);
    }

    /** {@code part} served in pieces of random size. */
    private static InputStream pieces(byte[] part, java.util.SplittableRandom random) {
        return new ByteArrayInputStream(part) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, random.nextInt(1, 100_000)));
            }
        };
    }

    private static InputStream input() {
        return new ByteArrayInputStream(CHUNK.getBytes(StandardCharsets.UTF_8));
    }
}
