package dev.sluice.server.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.core.result.PartPatches;
import dev.sluice.core.verify.Reason;
import dev.sluice.core.verify.Verdict;
import dev.sluice.core.verify.VerdictStatus;
import dev.sluice.server.account.Account;
import dev.sluice.server.account.AccountStore;
import dev.sluice.server.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract of {@link VerifyDeferredStore} on every dialect, each test on a fresh migrated database: a
 * batch {@code bat_1} of job {@code job_1} whose chunk 0 is done and chunk 1 still pending, and a batch
 * {@code bat_2} of the same job.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class VerifyDeferredStoreContractTest {

    static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    static final Verdict VERDICT = new Verdict(VerdictStatus.VALID, Reason.ACCEPTED, "a1@grey.example.net", false,
            false, true, null, false, "Grey Mail");

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    HikariDataSource dataSource;
    JdbcClient jdbc;
    VerifyDeferredStore store;

    @BeforeEach
    void migrate_and_build_store() {
        dataSource = database.newMigratedDataSource(dir);
        jdbc = JdbcClient.create(dataSource);
        store = new VerifyDeferredStore(jdbc, JsonMapper.builder().build());
        new AccountStore(jdbc).insertAccount(new Account("acc_alice", "Alice", false, T0));
        jdbc.sql("""
                INSERT INTO jobs (id, account_id, name, operation, output_format, status, version, retention_hours,
                    created_at, updated_at)
                VALUES ('job_1', 'acc_alice', 'j', 'verify', 'csv', 'open', 0, 72, 0, 0)
                """).update();
        for (String batch : List.of("bat_1", "bat_2")) {
            jdbc.sql("""
                    INSERT INTO batches (id, job_id, account_id, source, status, version, record_limit, created_at,
                        updated_at)
                    VALUES (:id, 'job_1', 'acc_alice', 'upload', 'in_progress', 0, 100, 0, 0)
                    """).param("id", batch).update();
            chunk(batch, 0, "done");
            chunk(batch, 1, "pending");
        }
    }

    @AfterEach
    void close_data_source() {
        dataSource.close();
    }

    @Test
    void due_addresses_are_those_of_committed_chunks_in_row_order_with_their_cells() {
        // given addresses put aside in both chunks of bat_1, due at T0
        store.replaceChunk("bat_1", "job_1", 0, List.of(aside(2, 30), aside(1, 0)), T0);
        store.replaceChunk("bat_1", "job_1", 1, List.of(aside(5, 0)), T0);

        // when / then: the done chunk's addresses are due, the pending chunk's wait for its commit
        List<VerifyDeferredStore.Due> due = store.due("bat_1", T0);
        assertThat(due).extracting(VerifyDeferredStore.Due::row).containsExactly(1L, 2L);
        assertThat(due.get(0).cell()).isEqualTo("a1@grey.example.net");
        assertThat(due.get(0).fields()).containsExactly("1", "a1@grey.example.net, \"quoted\"");
        assertThat(due.get(0).attempt()).isZero();
        assertThat(store.due("bat_1", T0.minusMillis(1))).isEmpty();
        assertThat(store.waitingDue("bat_1", T0)).isEqualTo(3);
    }

    @Test
    void an_address_is_claimed_once_and_settled_once() {
        // given a due address
        store.replaceChunk("bat_1", "job_1", 0, List.of(aside(1, 10)), T0);
        VerifyDeferredStore.Due row = store.due("bat_1", T0).get(0);

        // when two tasks claim it, then both try to settle it
        boolean first = store.claim("bat_1", row, T0.plusSeconds(600));
        boolean second = store.claim("bat_1", row, T0.plusSeconds(601));
        byte[] text = "1,a1@grey.example.net,1,valid,accepted\n".getBytes(StandardCharsets.UTF_8);
        boolean settled = store.settle("bat_1", row, text, VERDICT);
        boolean again = store.settle("bat_1", row, text, VERDICT);

        // then one of each won, and the settled row is a patch of its part's bytes
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(settled).isTrue();
        assertThat(again).isFalse();
        Map<Integer, List<PartPatches.Patch>> patches = store.patches("bat_1");
        assertThat(patches).containsOnlyKeys(0);
        PartPatches.Patch patch = patches.get(0).get(0);
        assertThat(patch.start()).isEqualTo(10);
        assertThat(patch.end()).isEqualTo(20);
        assertThat(patch.bytes()).isEqualTo(text);
        assertThat(store.nextRetryOfBatch("bat_1")).isEmpty();
    }

    @Test
    void a_rescheduled_address_is_due_at_its_next_attempt_and_shown_as_the_next_retry() {
        // given due addresses in two batches of the job
        store.replaceChunk("bat_1", "job_1", 0, List.of(aside(1, 0)), T0);
        store.replaceChunk("bat_2", "job_1", 0, List.of(aside(1, 0)), T0.plusSeconds(60));
        VerifyDeferredStore.Due row = store.due("bat_1", T0).get(0);

        // when bat_1's address is put aside for its next attempt
        assertThat(store.reschedule("bat_1", row, T0.plusSeconds(900))).isTrue();

        // then it is due then, at attempt 1, and the next retries are the earliest waiting due times
        assertThat(store.due("bat_1", T0.plusSeconds(899))).isEmpty();
        assertThat(store.due("bat_1", T0.plusSeconds(900))).extracting(VerifyDeferredStore.Due::attempt)
                .containsExactly(1);
        assertThat(store.reschedule("bat_1", row, T0.plusSeconds(901))).isFalse();
        assertThat(store.nextRetryOfBatch("bat_1")).contains(T0.plusSeconds(900));
        assertThat(store.nextRetryOfJob("job_1")).contains(T0.plusSeconds(60));
        assertThat(store.nextRetryOfJob("job_2")).isEmpty();
    }

    @Test
    void a_chunk_run_again_replaces_its_rows_and_deleting_a_batch_keeps_the_others() {
        // given rows of bat_1's chunk 0 from a first run, and rows of bat_2
        store.replaceChunk("bat_1", "job_1", 0, List.of(aside(1, 0), aside(2, 30)), T0);
        store.replaceChunk("bat_2", "job_1", 0, List.of(aside(1, 0)), T0);

        // when the chunk runs again with one address put aside, then bat_2 is deleted
        store.replaceChunk("bat_1", "job_1", 0, List.of(aside(2, 30)), T0);
        store.deleteBatch("bat_2");

        // then only the second run's row is left
        assertThat(store.due("bat_1", T0)).extracting(VerifyDeferredStore.Due::row).containsExactly(2L);
        assertThat(store.hasChunk("bat_1", 0)).isTrue();
        assertThat(store.hasChunk("bat_1", 1)).isFalse();
        assertThat(store.hasChunk("bat_2", 0)).isFalse();
        assertThat(store.due("bat_2", T0)).isEmpty();
        assertThat(store.nextRetryOfJob("job_1")).contains(T0);
    }

    @Test
    void a_copy_is_never_due_and_settles_once_its_first_row_is_settled_and_its_chunk_is_done() {
        // given bat_1's row 1 put aside in chunk 0 with a copy of it in chunk 0 and another in pending chunk 1
        store.replaceChunk("bat_1", "job_1", 0, List.of(aside(1, 0), copy(2, 20, 1)), T0);
        store.replaceChunk("bat_1", "job_1", 1, List.of(copy(5, 0, 1)), T0);

        // then the copies are never due (never asked), nothing is ready before row 1 settles
        assertThat(store.due("bat_1", T0)).extracting(VerifyDeferredStore.Due::row).containsExactly(1L);
        assertThat(store.waitingDue("bat_1", T0)).isEqualTo(1);
        assertThat(store.readyCopies("bat_1")).isEmpty();
        assertThat(store.copiesAwaitChunk("bat_1")).isFalse();

        // when row 1 settles with its final verdict
        VerifyDeferredStore.Due first = store.due("bat_1", T0).get(0);
        assertThat(store.settle("bat_1", first, "row 1\n".getBytes(StandardCharsets.UTF_8), VERDICT)).isTrue();

        // then the copy of the done chunk is ready with that verdict, the other waits for its chunk
        List<VerifyDeferredStore.ReadyCopy> ready = store.readyCopies("bat_1");
        assertThat(ready).extracting(VerifyDeferredStore.ReadyCopy::row).containsExactly(2L);
        assertThat(ready.get(0).verdict()).isEqualTo(VERDICT);
        assertThat(ready.get(0).copyOf()).isEqualTo(1);
        assertThat(ready.get(0).firstChunk()).isZero();
        assertThat(ready.get(0).fields()).containsExactly("2", "a2@grey.example.net, \"quoted\"");
        assertThat(store.copiesAwaitChunk("bat_1")).isTrue();

        // and it settles once, as a patch of its part; the later chunk's copy is ready once that chunk is done
        byte[] text = "row 2\n".getBytes(StandardCharsets.UTF_8);
        assertThat(store.settleCopy("bat_1", ready.get(0), text)).isTrue();
        assertThat(store.settleCopy("bat_1", ready.get(0), text)).isFalse();
        assertThat(store.patches("bat_1").get(0)).extracting(PartPatches.Patch::start).containsExactly(0L, 20L);
        jdbc.sql("UPDATE chunks SET status = 'done' WHERE batch_id = 'bat_1' AND idx = 1").update();
        assertThat(store.readyCopies("bat_1")).extracting(VerifyDeferredStore.ReadyCopy::row).containsExactly(5L);
        assertThat(store.nextRetryOfBatch("bat_1")).isEmpty();
    }

    private static VerifyDeferredStore.Aside copy(long row, long start, long copyOf) {
        String cell = "a" + row + "@grey.example.net";
        return new VerifyDeferredStore.Aside(row, cell, List.of(String.valueOf(row), cell + ", \"quoted\""), start,
                start + 10, copyOf);
    }

    private static VerifyDeferredStore.Aside aside(long row, long start) {
        String cell = "a" + row + "@grey.example.net";
        return new VerifyDeferredStore.Aside(row, cell, List.of(String.valueOf(row), cell + ", \"quoted\""), start,
                start + 10, 0);
    }

    private void chunk(String batch, int index, String status) {
        jdbc.sql("""
                INSERT INTO chunks (batch_id, idx, status, version, first_row, records, updated_at)
                VALUES (:batch, :idx, :status, 0, 1, 10, 0)
                """).param("batch", batch).param("idx", index).param("status", status).update();
    }
}
