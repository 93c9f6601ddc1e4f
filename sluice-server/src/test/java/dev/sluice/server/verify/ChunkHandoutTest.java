package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.result.ChunkDuplicates;
import dev.sluice.core.result.LaterCopies;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkHandoutTest {

    private static final Verdict VALID = new Verdict(VerdictStatus.VALID, Reason.ACCEPTED,
            "ann@example.com", false, false, false, null, false, null);

    @Test
    void each_section_reads_back_as_written() throws IOException {
        List<LaterCopies.Copy> copies = List.of(new LaterCopies.Copy(12, 3, 400), new LaterCopies.Copy(15, 4, 517));
        Map<Long, ChunkDuplicates.FirstCopy> firsts = new LinkedHashMap<>();
        firsts.put(3L, new ChunkDuplicates.FirstCopy("ann@example.com", VALID));
        firsts.put(7L, new ChunkDuplicates.FirstCopy("bob@example.com", VALID));
        ByteArrayOutputStream blob = new ByteArrayOutputStream();

        ChunkHandout.write(blob, out -> out.write("{\"rows\":10}".getBytes(StandardCharsets.UTF_8)),
                out -> LaterCopies.write(copies, out), out -> ChunkDuplicates.writeFirstCopies(firsts, out));
        ChunkHandout handout = ChunkHandout.read(new ByteArrayInputStream(blob.toByteArray()));

        assertThat(new String(handout.report().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"rows\":10}");
        assertThat(LaterCopies.read(handout.laterCopies())).isEqualTo(copies);
        Map<Long, ChunkDuplicates.FirstCopy> read = new LinkedHashMap<>();
        ChunkDuplicates.readFirstCopies(handout.firstCopies(), row -> true, read::put);
        assertThat(read).isEqualTo(firsts);
    }

    @Test
    void empty_sections_read_as_empty() throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ChunkHandout.write(blob, out -> out.write('x'), out -> { }, out -> { });

        ChunkHandout handout = ChunkHandout.read(new ByteArrayInputStream(blob.toByteArray()));

        assertThat(handout.report().readAllBytes()).containsExactly('x');
        assertThat(handout.laterCopies().readAllBytes()).isEmpty();
        assertThat(LaterCopies.read(handout.firstCopies())).isEmpty();
    }

    @Test
    void a_blob_cut_short_or_of_another_kind_is_refused() throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ChunkHandout.write(blob, out -> out.write(new byte[100]), out -> out.write(new byte[48]),
                out -> out.write(new byte[30]));
        byte[] whole = blob.toByteArray();

        for (int cut : new int[] {0, 3, 15, 100, whole.length - 1}) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> ChunkHandout.read(new ByteArrayInputStream(part)))
                    .as("cut at %d", cut).isInstanceOf(EOFException.class);
        }
        byte[] csv = "email\nann@example.com\nbob@example.com\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ChunkHandout.read(new ByteArrayInputStream(csv)))
                .isInstanceOf(EOFException.class).hasMessageContaining("not a chunk handout");
    }

    @Test
    void a_section_length_below_zero_is_refused() throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        ChunkHandout.write(blob, out -> { }, out -> { }, out -> { });
        byte[] bytes = blob.toByteArray();
        Arrays.fill(bytes, bytes.length - 4, bytes.length, (byte) 0xff);

        assertThatThrownBy(() -> ChunkHandout.read(new ByteArrayInputStream(bytes)))
                .isInstanceOf(IOException.class).hasMessageContaining("-1 bytes");
    }

    @Test
    void a_handout_is_its_sections_with_four_bytes_before_and_twelve_after() throws IOException {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();

        ChunkHandout.write(blob, out -> out.write(new byte[5]), out -> out.write(new byte[24]), out -> { });

        assertThat(blob.size()).isEqualTo(4 + 5 + 24 + 12);
    }
}
