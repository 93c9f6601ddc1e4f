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
import java.util.HashMap;
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
        Map<Long, ChunkDuplicates.FirstCopy> kept = new HashMap<>();
        List<LaterCopies.Copy> open = new ArrayList<>();
        ResultReport.Tally counted = new ResultReport.Tally();
        VerifyPass.Sink sink = new VerifyPass.Sink() {
            @Override
            public ResultReport.Tally report() {
                return counted;
            }

            @Override
            public void kept(long row, ChunkDuplicates.FirstCopy first) {
                kept.put(row, first);
            }

            @Override
            public void later(LaterCopies.Copy copy) {
                open.add(copy);
            }
        };
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        pass.run(input(FIRST_CHUNK), 1, first, new ChunkDuplicates(Map.of(), Set.of(1L, 2L)), sink);
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        VerifyCounts counts = pass.run(input(SECOND_CHUNK), 4, second,
                new ChunkDuplicates(Map.of(4L, 1L, 6L, 2L), Set.of()), sink);

        // when the assembly tells the first copies and patches the second part
        LaterCopies later = new LaterCopies(pass);
        for (Map.Entry<Long, ChunkDuplicates.FirstCopy> entry : kept.entrySet()) {
            later.first(entry.getKey(), entry.getValue().key(), entry.getValue().verdict());
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LaterCopies.write(open, file);
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
        counted.add(later.report().report(Integer.MAX_VALUE));
        assertThat(counted.report(200)).isEqualTo(ResultReport.of(format,
                new ByteArrayInputStream(assembled.toByteArray()), "email", 200));
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
    }

    private static InputStream input(String chunk) {
        return new ByteArrayInputStream(chunk.getBytes(StandardCharsets.UTF_8));
    }
}
