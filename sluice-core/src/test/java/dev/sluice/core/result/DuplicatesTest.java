package dev.sluice.core.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ingest.ChunkReader;
import dev.sluice.core.ingest.FileLoader;
import dev.sluice.core.ingest.LoadOptions;
import dev.sluice.core.ingest.LoadSummary;
import dev.sluice.core.verify.DuplicateKey;
import dev.sluice.core.verify.EmailVerifier;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Duplicates within a batch: the key, the scan over chunks in order, and the pass copying verdicts. */
class DuplicatesTest {

    @Test
    void keys_fold_spaces_and_domain_case_everywhere_and_dots_and_tags_only_at_gmail() {
        assertThat(DuplicateKey.of("  ann@EXAMPLE.com ")).isEqualTo("ann@example.com");
        assertThat(DuplicateKey.of("Ann@example.com")).isEqualTo("Ann@example.com");
        assertThat(DuplicateKey.of("J.Doe+news@GoogleMail.com")).isEqualTo("jdoe@gmail.com");
        assertThat(DuplicateKey.of("jdoe@gmail.com")).isEqualTo("jdoe@gmail.com");
        // a lower-case Gmail domain still folds the local part; a non-ASCII domain is lower-cased as any other
        assertThat(DuplicateKey.of("J.Doe+x@gmail.com")).isEqualTo("jdoe@gmail.com");
        assertThat(DuplicateKey.of("a.b@googlemail.com")).isEqualTo("ab@gmail.com");
        assertThat(DuplicateKey.of("Ann@EXÄMPLE.com")).isEqualTo("Ann@exämple.com");
        assertThat(DuplicateKey.of("ann@")).isEqualTo("ann@");
        assertThat(DuplicateKey.of("j.doe+news@example.com")).isEqualTo("j.doe+news@example.com");
        assertThat(DuplicateKey.of("   ")).isNull();
        assertThat(DuplicateKey.of("not-an-address")).isNull();
    }

    @Test
    void the_index_keeps_every_first_row_while_it_grows() {
        // given 100,000 addresses (each table doubles a few times), then each of them again
        DuplicateIndex index = new DuplicateIndex();
        for (long row = 1; row <= 100_000; row++) {
            assertThat(index.firstOf(row, "user" + row + "@example.com")).isZero();
        }

        // then every repeat names its first row
        for (long row = 1; row <= 100_000; row++) {
            assertThat(index.firstOf(100_000 + row, " user" + row + "@EXAMPLE.com")).isEqualTo(row);
        }
        assertThat(index.firstOf(200_001, "")).isZero();
    }

    @Test
    void a_million_addresses_take_at_most_43_mb_of_index() {
        DuplicateIndex index = new DuplicateIndex();
        for (long row = 1; row <= 1_000_000; row++) {
            index.firstOf(row, "u" + row + "@example.com");
        }

        assertThat(index.bytes()).isBetween(32L << 20, 43L << 20);
    }

    @Test
    void a_released_index_leaves_its_tables_cleared_to_the_next_one() {
        // given an index of 100,000 addresses, released at the end of its load
        DuplicateIndex first = new DuplicateIndex();
        for (long row = 1; row <= 100_000; row++) {
            first.firstOf(row, "user" + row + "@example.com");
        }
        long grown = first.bytes();
        first.release();

        // when the next index is made
        DuplicateIndex next = new DuplicateIndex();

        // then it starts at the released tables' size, and knows none of their addresses
        assertThat(next.bytes()).isEqualTo(grown);
        for (long row = 1; row <= 100_000; row++) {
            assertThat(next.firstOf(row, "user" + (100_001 - row) + "@example.com")).isZero();
        }
        assertThat(next.firstOf(100_001, "user1@example.com")).isEqualTo(100_000);
        // and the released one refuses further rows
        assertThatThrownBy(() -> first.firstOf(100_001, "ann@example.com"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
    }

    @Test
    void an_index_over_the_spare_limit_is_not_kept() {
        DuplicateIndex big = new DuplicateIndex();
        for (long row = 1; row <= 1_700_000; row++) {
            big.firstOf(row, "u" + row + "@example.com");
        }
        assertThat(big.bytes()).isGreaterThan(DuplicateIndex.SPARE_BYTES);
        big.release();

        // a new index starts small: 16 slots of 16 bytes in each table
        assertThat(new DuplicateIndex().bytes()).isEqualTo(DuplicateIndex.SEGMENTS * 16L * 16);
    }

    @Test
    void the_index_refuses_a_row_beyond_its_range() {
        assertThatThrownBy(() -> new DuplicateIndex().firstOf(Integer.MAX_VALUE + 1L, "ann@example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("up to " + Integer.MAX_VALUE);
    }

    @Test
    void the_scan_finds_first_copies_within_and_across_chunks() throws IOException {
        // given three chunks of two rows
        DuplicateScan scan = new DuplicateScan(2);
        List<String> cells = List.of("ann@example.com", " ann@Example.com", "j.doe@gmail.com", "bob@example.org",
                "jdoe+x@googlemail.com", "ann@example.com");
        for (int row = 1; row <= cells.size(); row++) {
            scan.record(row, cells.get(row - 1));
        }

        // when
        List<DuplicatePlan> plans = new ArrayList<>();
        scan.plans(3, (index, plan) -> plans.add(plan));

        // then each chunk knows its copies and which of its rows later chunks copy
        assertThat(plans.get(0)).isEqualTo(new DuplicatePlan(Map.of(2L, 1L), Set.of(1L)));
        assertThat(plans.get(1)).isEqualTo(new DuplicatePlan(Map.of(), Set.of(3L)));
        assertThat(plans.get(2)).isEqualTo(new DuplicatePlan(Map.of(5L, 3L, 6L, 1L), Set.of()));

        // and a plan reads back as written, copies and kept rows alike
        for (DuplicatePlan plan : plans) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            plan.write(out);
            assertThat(DuplicatePlan.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(plan);
        }

        // and a text plan of an earlier version still reads
        assertThat(DuplicatePlan.read(new ByteArrayInputStream("c 2 1\nk 1\n".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(plans.get(0));

        // and a plan written by a version whose chunks waited for earlier ones still reads
        assertThat(DuplicatePlan.read(new ByteArrayInputStream("w 0\nw 1\nc 5 3\nc 6 1\n".getBytes(
                StandardCharsets.US_ASCII)))).isEqualTo(plans.get(2));
    }

    @Test
    void a_plan_answers_first_rows_and_kept_rows_and_refuses_a_cut_or_disordered_file() throws Exception {
        DuplicatePlan plan = new DuplicatePlan(Map.of(17L, 2L, 12L, 3L, 15L, 12L), Set.of(14L, 11L));

        assertThat(plan.firstOf(12)).isEqualTo(3);
        assertThat(plan.firstOf(15)).isEqualTo(12);
        assertThat(plan.firstOf(17)).isEqualTo(2);
        assertThat(plan.firstOf(13)).isZero();
        assertThat(plan.keeps(11)).isTrue();
        assertThat(plan.keeps(12)).isFalse();
        assertThat(plan.copyCount()).isEqualTo(3);
        assertThat(plan.copies()).containsExactly(Map.entry(12L, 3L), Map.entry(15L, 12L), Map.entry(17L, 2L));
        assertThat(DuplicatePlan.NONE.isEmpty()).isTrue();
        assertThat(DuplicatePlan.NONE.firstOf(1)).isZero();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        plan.write(out);
        byte[] written = out.toByteArray();
        // a zero byte, 3 copies of two longs, 2 kept rows
        assertThat(written).hasSize(1 + 4 + 3 * 16 + 4 + 2 * 8);
        assertThatThrownBy(() -> DuplicatePlan.read(new ByteArrayInputStream(
                java.util.Arrays.copyOf(written, written.length - 3)))).isInstanceOf(java.io.EOFException.class);

        // copies out of order: the first row (12) and the second (15) swapped
        byte[] swapped = written.clone();
        java.nio.ByteBuffer.wrap(swapped).putLong(5, 15L).putLong(21, 12L);
        assertThatThrownBy(() -> DuplicatePlan.read(new ByteArrayInputStream(swapped)))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("increasing");
    }

    @Test
    void the_loader_fed_scan_plans_as_a_second_pass_over_the_chunk_inputs_would() throws Exception {
        // given a file with a header, blank lines, and copies within and across chunks of 7 rows
        StringBuilder file = new StringBuilder("id,email\n");
        for (int i = 1; i <= 100; i++) {
            file.append(i).append(',').append(i % 3 == 0 ? " " : "").append("user").append(i % 23)
                    .append(i % 5 == 0 ? "@EXAMPLE.com" : "@example.com").append(i % 11 == 0 ? "\n\n" : "\n");
        }
        List<ByteArrayOutputStream> parts = new ArrayList<>();
        DuplicateScan scan = new DuplicateScan(7);

        // when the loader feeds the scan as it cuts the chunk inputs
        LoadSummary summary = new FileLoader(new LoadOptions("email", 7, Long.MAX_VALUE)).load(
                input(file.toString()), index -> {
                    parts.add(new ByteArrayOutputStream());
                    return parts.get(index);
                }, scan);
        List<DuplicatePlan> plans = new ArrayList<>();
        scan.plans(summary.chunks(), (index, plan) -> plans.add(plan));

        // then the plans are those a second pass reading the chunk inputs in order finds
        assertThat(summary.chunks()).isEqualTo(15);
        assertThat(plans).isEqualTo(plansByRereading(parts, summary.keyColumn()));
        assertThat(plans.get(3).kept()).isNotEmpty();
        assertThat(plans.get(14).copies()).hasSize(2);
    }

    @Test
    void the_index_tells_apart_addresses_whose_first_hashes_are_equal_by_the_second() {
        // the two hashes are independent: equal first hashes alone never make a copy (checked on the halves the
        // index compares, as a real 64-bit collision cannot be written down here)
        assertThat(DuplicateIndex.check("ann@example.com")).isNotEqualTo(DuplicateIndex.check("bob@example.com"));
        assertThat(DuplicateIndex.check("ann@example.com")).isNotEqualTo(DuplicateIndex.hash("ann@example.com"));
    }

    @Test
    void the_pass_verifies_each_address_once_copies_verdicts_within_and_leaves_earlier_chunks_copies_open()
            throws IOException {
        // given a counting verifier and a chunk (rows 3 to 6) repeating row 3 and earlier chunks' rows 1 and 2
        List<String> asked = new ArrayList<>();
        EmailVerifier syntax = new EmailVerifier();
        VerifyPass pass = new VerifyPass(cells -> {
            asked.addAll(cells);
            return syntax.verifyAll(cells);
        }, ResultFormat.CSV, List.of("email"), 0);
        ChunkDuplicates duplicates = new ChunkDuplicates(Map.of(4L, 3L, 5L, 1L, 6L, 2L), Set.of(3L));
        VerifyPass.HandedOut handed = new VerifyPass.HandedOut();

        // when the pass runs
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        VerifyCounts counts = pass.run(input("bob@example.org\n bob@EXAMPLE.org\nann@EXAMPLE.com\ncarl@x.net\n"),
                3, part, duplicates, handed);
        Map<Long, ChunkDuplicates.FirstCopy> kept = new java.util.LinkedHashMap<>();
        ByteArrayOutputStream handedOut = new ByteArrayOutputStream();
        handed.keptFirstCopies().writeTo(handedOut);
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(handedOut.toByteArray()), row -> true, kept::put);

        // then only this chunk's distinct addresses were verified; its copy took row 3's verdict, and the copies of
        // earlier rows wait for theirs without verdict columns, counted as later
        assertThat(asked).containsExactly("bob@example.org");
        List<String> lines = part.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("bob@example.org,3,valid,");
        assertThat(lines.get(1)).startsWith(" bob@EXAMPLE.org,4,valid,").endsWith(",3");
        assertThat(lines.get(2)).isEqualTo("ann@EXAMPLE.com,5,1");
        assertThat(lines.get(3)).isEqualTo("carl@x.net,6,2");
        long thirdLine = lines.get(0).length() + 1 + lines.get(1).length() + 1;
        assertThat(handed.laterCopies()).containsExactly(
                new LaterCopies.Copy(5, 1, thirdLine + "ann@EXAMPLE.com,5".length()),
                new LaterCopies.Copy(6, 2, part.size() - ",2\n".length()));
        assertThat(counts).isEqualTo(new VerifyCounts(4, 2, 0, 0, 0, 3, 2));
        assertThat(kept).containsOnlyKeys(3L);
        assertThat(kept.get(3L).key()).isEqualTo("bob@example.org");

        // and kept verdicts round-trip through their file
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ChunkDuplicates.writeFirstCopies(kept, file);
        Map<Long, ChunkDuplicates.FirstCopy> read = new HashMap<>();
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(file.toByteArray()), row -> true, read::put);
        assertThat(read).isEqualTo(kept);
    }

    @Test
    void first_copies_round_trip_every_field_and_a_reader_skips_the_rows_it_does_not_need() throws IOException {
        Map<Long, ChunkDuplicates.FirstCopy> firsts = new java.util.LinkedHashMap<>();
        firsts.put(3L, new ChunkDuplicates.FirstCopy("ann@example.com", new Verdict(VerdictStatus.VALID,
                Reason.ACCEPTED, "ann@example.com", true, false, true, null, true, "google")));
        firsts.put(8L, new ChunkDuplicates.FirstCopy("bob@gmial.com", new Verdict(VerdictStatus.INVALID,
                Reason.NO_SUCH_DOMAIN, "Bob@gmial.com", false, true, false, "bob@gmail.com", false, null)));
        firsts.put(9L, new ChunkDuplicates.FirstCopy("x@y", new Verdict(VerdictStatus.INVALID,
                Reason.SYNTAX_DOMAIN, null, false, false, false, null, false, null)));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ChunkDuplicates.writeFirstCopies(firsts, file);

        Map<Long, ChunkDuplicates.FirstCopy> all = new java.util.LinkedHashMap<>();
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(file.toByteArray()), row -> true, all::put);
        assertThat(all).containsExactlyEntriesOf(firsts);

        Map<Long, ChunkDuplicates.FirstCopy> some = new HashMap<>();
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(file.toByteArray()), row -> row != 8L, some::put);
        assertThat(some).containsOnlyKeys(3L, 9L).containsEntry(9L, firsts.get(9L));
    }

    @Test
    void first_copies_with_texts_beyond_ascii_and_every_status_and_reason_read_back_as_written() throws IOException {
        // given first copies of every status and reason, with keys, addresses, suggestions and providers beyond
        // ASCII (accents, an ideograph, an emoji, a NUL), which writeUTF writes in more than one byte
        Map<Long, ChunkDuplicates.FirstCopy> firsts = new LinkedHashMap<>();
        String[] texts = {"jos\u00e9@b\u00fccher.example", "\u5f20\u4f1f@\u4f8b\u5b50.example",
                "smile\ud83d\ude00@example.org", "nul\u0000@example.org", "plain@example.org"};
        long row = 1;
        for (VerdictStatus status : VerdictStatus.values()) {
            for (Reason reason : Reason.values()) {
                String text = texts[(int) (row % texts.length)];
                firsts.put(row, new ChunkDuplicates.FirstCopy(text, new Verdict(status, reason,
                        row % 3 == 0 ? null : row % 3 == 1 ? text : text.toUpperCase(java.util.Locale.ROOT),
                        row % 2 == 0, row % 5 == 0, row % 7 == 0, row % 4 == 0 ? texts[0] : null, row % 6 == 0,
                        row % 3 == 2 ? texts[1] : null)));
                row++;
            }
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ChunkDuplicates.writeFirstCopies(firsts, file);

        // when read back whole, and with every other row skipped
        Map<Long, ChunkDuplicates.FirstCopy> all = new LinkedHashMap<>();
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(file.toByteArray()), r -> true, all::put);
        Map<Long, ChunkDuplicates.FirstCopy> odd = new LinkedHashMap<>();
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(file.toByteArray()), r -> r % 2 == 1, odd::put);

        // then every field is as written
        assertThat(all).containsExactlyEntriesOf(firsts);
        Map<Long, ChunkDuplicates.FirstCopy> expectedOdd = new LinkedHashMap<>(firsts);
        expectedOdd.keySet().removeIf(r -> r % 2 == 0);
        assertThat(odd).containsExactlyEntriesOf(expectedOdd);
    }

    @Test
    void a_first_copies_file_cut_inside_a_row_or_naming_an_unknown_reason_is_refused() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ChunkDuplicates.writeFirstCopies(Map.of(4L, new ChunkDuplicates.FirstCopy("ann@example.com",
                new Verdict(VerdictStatus.VALID, Reason.ACCEPTED, "ann@example.com", false))), file);
        byte[] written = file.toByteArray();

        // a file cut after a row's number, or inside its texts, is refused; one cut inside the number ends there,
        // as a stream's readLong at the end did
        for (int cut : new int[] {8, 12, 14, written.length - 1}) {
            assertThatThrownBy(() -> ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(
                    java.util.Arrays.copyOf(written, cut)), r -> true, (r, first) -> { }))
                    .isInstanceOf(java.io.EOFException.class);
        }
        List<Long> rows = new ArrayList<>();
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(java.util.Arrays.copyOf(written, 5)), r -> true,
                (r, first) -> rows.add(r));
        assertThat(rows).isEmpty();

        // and a reason this version does not know is refused as the enum refuses it
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        java.io.DataOutputStream fields = new java.io.DataOutputStream(body);
        fields.writeUTF("ann@example.com");
        fields.writeUTF("VALID");
        fields.writeUTF("A_REASON_OF_A_LATER_VERSION");
        fields.writeByte(0);
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        java.io.DataOutputStream row = new java.io.DataOutputStream(unknown);
        row.writeLong(4);
        row.writeInt(body.size());
        body.writeTo(row);
        assertThatThrownBy(() -> ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(unknown.toByteArray()),
                r -> true, (r, first) -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A_REASON_OF_A_LATER_VERSION");
    }

    @Test
    void a_first_copies_file_keeps_its_layout_so_files_of_batches_in_progress_across_an_upgrade_still_read()
            throws IOException {
        Verdict verdict = new Verdict(VerdictStatus.INVALID, Reason.NO_SUCH_DOMAIN, "Bob@gmial.com", false, true,
                false, "bob@gmail.com", false, "google");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ChunkDuplicates.writeFirstCopies(Map.of(8L, new ChunkDuplicates.FirstCopy("bob@gmial.com", verdict)), file);

        // per row: its number, the length of the rest, the key, status and reason names, the flags, then the texts
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        java.io.DataOutputStream fields = new java.io.DataOutputStream(body);
        fields.writeUTF("bob@gmial.com");
        fields.writeUTF("INVALID");
        fields.writeUTF("NO_SUCH_DOMAIN");
        fields.writeByte(2 | 16 | 64 | 128); // disposable, a normalised address, a suggestion, a provider
        fields.writeUTF("Bob@gmial.com");
        fields.writeUTF("bob@gmail.com");
        fields.writeUTF("google");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        java.io.DataOutputStream rows = new java.io.DataOutputStream(expected);
        rows.writeLong(8);
        rows.writeInt(body.size());
        body.writeTo(rows);
        assertThat(file.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void first_copies_a_version_before_the_binary_file_wrote_are_still_read() throws IOException {
        String csv = "7,ann@example.com,VALID,ACCEPTED,ann@example.com,false,false,true,,false,google\n";
        Map<Long, ChunkDuplicates.FirstCopy> read = new HashMap<>();
        ChunkDuplicates.readCsvFirstCopies(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), read);

        assertThat(read.get(7L)).isEqualTo(new ChunkDuplicates.FirstCopy("ann@example.com", new Verdict(
                VerdictStatus.VALID, Reason.ACCEPTED, "ann@example.com", false, false, true, null, false, "google")));
    }

    @Test
    void a_chunk_run_before_the_load_ended_hands_out_every_first_copy_and_no_copy() throws IOException {
        EmailVerifier syntax = new EmailVerifier();
        VerifyPass pass = new VerifyPass(syntax::verifyAll, ResultFormat.CSV, List.of("email"), 0);
        Map<Long, ChunkDuplicates.FirstCopy> kept = new HashMap<>();
        pass.run(new ByteArrayInputStream("ann@x.com\nbob@x.com\nann@X.COM\ncarl@x.com\n"
                        .getBytes(StandardCharsets.UTF_8)), 11, new ByteArrayOutputStream(),
                ChunkDuplicates.keepingAll(new DuplicatePlan(Map.of(13L, 11L, 14L, 2L), Set.of())), new VerifyPass.Sink() {
                    @Override
                    public void kept(long row, String key, Verdict verdict) {
                        kept.put(row, new ChunkDuplicates.FirstCopy(key, verdict));
                    }
                });

        // 13 copies 11 in the chunk and 14 copies row 2 of an earlier chunk: neither is a first copy
        assertThat(kept).containsOnlyKeys(11L, 12L);
    }

    @Test
    void a_chunk_s_copies_are_final_as_soon_as_its_last_row_is_recorded() throws IOException {
        DuplicateScan scan = new DuplicateScan(3);
        String[] cells = {"a@x.com", "b@x.com", "A@x.com", "c@x.com", "b@x.com", "d@x.com", "c@x.com", "e@x.com"};
        List<DuplicatePlan> early = new ArrayList<>();
        for (int row = 1; row <= cells.length; row++) {
            scan.record(row, cells[row - 1]);
            if (row % 3 == 0) {
                early.add(scan.copiesOf(row / 3 - 1));
            }
        }
        early.add(scan.copiesOf(2));
        List<DuplicatePlan> plans = new ArrayList<>();
        scan.plans(3, (chunk, plan) -> plans.add(plan));

        for (int chunk = 0; chunk < 3; chunk++) {
            assertThat(early.get(chunk).copies()).isEqualTo(plans.get(chunk).copies());
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        scan.writeKeptRows(kept);
        // rows 2 (b, copied by 5) and 4 (c, copied by 7) are repeated by later chunks; 1 only by its own chunk
        assertThat(DuplicateScan.readRows(new ByteArrayInputStream(kept.toByteArray()))).containsExactly(2L, 4L);
    }

    @Test
    void a_first_copy_reaches_a_later_chunk_with_its_provider() throws IOException {
        Verdict accepted = new Verdict(VerdictStatus.VALID, Reason.ACCEPTED, "ann@example.com", false, false, true,
                null, false, "google");
        Map<Long, ChunkDuplicates.FirstCopy> kept = Map.of(7L, new ChunkDuplicates.FirstCopy("ann@example.com",
                accepted));

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ChunkDuplicates.writeFirstCopies(kept, file);
        Map<Long, ChunkDuplicates.FirstCopy> read = new HashMap<>();
        ChunkDuplicates.readFirstCopies(new ByteArrayInputStream(file.toByteArray()), row -> true, read::put);

        assertThat(read.get(7L).verdict()).isEqualTo(accepted);
    }

    @Test
    void the_scan_looking_up_rows_a_few_at_a_time_finds_what_one_at_a_time_finds() throws IOException {
        // given rows drawn from 700 addresses (repeats within a batch of look-ups and across it), chunks of 37
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        int rows = 5_000;
        int chunkSize = 37;
        DuplicateScan scan = new DuplicateScan(chunkSize);
        Map<String, Long> firsts = new HashMap<>();
        Map<Long, Long> expectedCopies = new java.util.TreeMap<>();
        Set<Long> expectedKept = new java.util.TreeSet<>();
        List<DuplicatePlan> asCut = new ArrayList<>();

        // when each row is recorded, and each chunk's copies are asked for once its last row is
        for (long row = 1; row <= rows; row++) {
            String cell = random.nextInt(50) == 0 ? "" : "user" + random.nextInt(700) + "@example.com";
            scan.record(row, cell);
            Long first = cell.isEmpty() ? null : firsts.putIfAbsent(cell, row);
            if (first != null) {
                expectedCopies.put(row, first);
                if ((first - 1) / chunkSize != (row - 1) / chunkSize) {
                    expectedKept.add(first);
                }
            }
            if (row % chunkSize == 0) {
                asCut.add(scan.copiesOf((int) (row / chunkSize) - 1));
            }
        }
        List<DuplicatePlan> plans = new ArrayList<>();
        int chunks = (rows + chunkSize - 1) / chunkSize;
        scan.plans(chunks, (chunk, plan) -> plans.add(plan));

        // then the copies and kept rows are those of a map of every address, chunk by chunk
        Map<Long, Long> copies = new java.util.TreeMap<>();
        Set<Long> kept = new java.util.TreeSet<>();
        for (int chunk = 0; chunk < chunks; chunk++) {
            copies.putAll(plans.get(chunk).copies());
            kept.addAll(plans.get(chunk).kept());
            if (chunk < asCut.size()) {
                assertThat(asCut.get(chunk).copies()).isEqualTo(plans.get(chunk).copies());
            }
        }
        assertThat(copies).isEqualTo(expectedCopies);
        assertThat(kept).isEqualTo(expectedKept);
    }

    @Test
    void a_cell_recorded_from_the_loader_s_chars_finds_what_its_string_finds() throws IOException {
        // given cells of every shape a key takes: spaces around (ASCII and beyond), capitals and letters beyond ASCII
        // in either part, Gmail's domains, several @, none, blank, an emoji, each among others in one char array
        String[] locals = {"ann", "Ann", "j.doe+news", "J.Doe", "r\u00e9my", "a@b", "", "\ud83d\ude00x"};
        String[] domains = {"example.com", "EXAMPLE.com", "gmail.com", "googlemail.com", "GMail.com", "ex\u00e4mple.com",
            "gmail.co", "xgmail.com", "", "example.com@other.org"};
        String[] around = {"", " ", "\t", "\u2003", "\u00a0", "  \u3000"};
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        int rows = 20_000;
        DuplicateScan byString = new DuplicateScan(41);
        DuplicateScan byChars = new DuplicateScan(41);

        // when each cell is recorded as a string by one scan and from the middle of a char array by the other
        for (long row = 1; row <= rows; row++) {
            String cell = random.nextInt(30) == 0 ? (random.nextBoolean() ? "" : "no address")
                    : around[random.nextInt(around.length)] + locals[random.nextInt(locals.length)]
                            + random.nextInt(40) + "@" + domains[random.nextInt(domains.length)]
                            + around[random.nextInt(around.length)];
            char[] chars = ("x,\"" + cell + "\",y").toCharArray();
            byString.record(row, cell);
            byChars.record(row, chars, 3, 3 + cell.length());
            long bounds = DuplicateKey.plainBounds(chars, 3, 3 + cell.length());
            if (bounds >= 0) {
                // then a cell taken where it lies is its own key
                assertThat(new String(chars, (int) (bounds >>> 32), (int) bounds - (int) (bounds >>> 32)))
                        .as("key of '%s'", cell).isEqualTo(DuplicateKey.of(cell));
            }
        }

        // then both find the same copies and kept rows, chunk by chunk
        List<DuplicatePlan> fromStrings = new ArrayList<>();
        List<DuplicatePlan> fromChars = new ArrayList<>();
        int chunks = (rows + 40) / 41;
        byString.plans(chunks, (chunk, plan) -> fromStrings.add(plan));
        byChars.plans(chunks, (chunk, plan) -> fromChars.add(plan));
        for (int chunk = 0; chunk < chunks; chunk++) {
            assertThat(fromChars.get(chunk).copies()).isEqualTo(fromStrings.get(chunk).copies());
            assertThat(fromChars.get(chunk).kept()).isEqualTo(fromStrings.get(chunk).kept());
        }
        assertThat(fromStrings.stream().mapToInt(plan -> plan.copies().size()).sum()).isGreaterThan(rows / 2);
        // and the plain keys the chars path spares a string for are told from others as DuplicateKey tells them
        assertThat(DuplicateKey.plainBounds(" ann@example.com ".toCharArray(), 0, 17)).isEqualTo(1L << 32 | 16);
        assertThat(DuplicateKey.plainBounds("ann@Example.com".toCharArray(), 0, 15)).isEqualTo(-1);
        assertThat(DuplicateKey.plainBounds("ann@gmail.com".toCharArray(), 0, 13)).isEqualTo(-1);
        assertThat(DuplicateKey.plainBounds("ann".toCharArray(), 0, 3)).isEqualTo(-1);
    }

    /** The plans found by reading the chunk inputs again in order, keeping every key (the pass the scan saves). */
    private static List<DuplicatePlan> plansByRereading(List<ByteArrayOutputStream> parts, int keyColumn)
            throws IOException {
        Map<String, Long> firsts = new HashMap<>();
        List<Map<Long, Long>> copies = new ArrayList<>();
        List<Set<Long>> kept = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        long[] row = {0};
        for (ByteArrayOutputStream part : parts) {
            starts.add(row[0] + 1);
            copies.add(new HashMap<>());
            kept.add(new HashSet<>());
            ChunkReader.read(new ByteArrayInputStream(part.toByteArray()), fields -> {
                long r = ++row[0];
                String key = DuplicateKey.of(fields.get(keyColumn));
                Long first = key == null ? null : firsts.putIfAbsent(key, r);
                if (first != null) {
                    copies.getLast().put(r, first);
                    int owner = 0;
                    while (owner + 1 < starts.size() && starts.get(owner + 1) <= first) {
                        owner++;
                    }
                    if (owner != starts.size() - 1) {
                        kept.get(owner).add(first);
                    }
                }
            });
        }
        List<DuplicatePlan> plans = new ArrayList<>();
        for (int chunk = 0; chunk < parts.size(); chunk++) {
            plans.add(new DuplicatePlan(copies.get(chunk), kept.get(chunk)));
        }
        return plans;
    }

    private static InputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
