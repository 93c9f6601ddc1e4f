package dev.sluice.server.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.core.result.ResultFormat;
import dev.sluice.server.account.Account;
import dev.sluice.server.account.AccountStore;
import dev.sluice.server.store.Ids;
import dev.sluice.server.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract the stores of the batch lifecycle ({@link JobStore}, {@link BatchStore}, {@link ChunkStore},
 * {@link EventStore}) keep on every dialect. It lives in {@code job} because those stores are package-private
 * behind {@link BatchLifecycle}; the stores of other packages keep theirs in {@code store.StoreContractTest}.
 * The class runs once per {@link TestDatabase}, each test on a fresh, empty database, which this class
 * migrates with the dialect's own migrations; it builds the stores by hand, without Spring.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JobStoreContractTest {

    /** A fixed point in time; every timestamp of a test is an offset from it, to the millisecond. */
    static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    HikariDataSource dataSource;
    JdbcClient jdbc;
    TransactionTemplate tx;
    JobStore jobs;
    BatchStore batches;
    ChunkStore chunks;
    EventStore events;

    /** The database under test. */
    @Parameter
    TestDatabase database;

    /** Holds the SQLite file of a test. */
    @TempDir
    Path dir;

    @BeforeEach
    void migrate_and_build_stores() {
        dataSource = database.newMigratedDataSource(dir);
        jdbc = JdbcClient.create(dataSource);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        JsonMapper json = JsonMapper.builder().build();
        jobs = new JobStore(jdbc, json);
        batches = new BatchStore(jdbc, json);
        chunks = new ChunkStore(jdbc);
        events = new EventStore(jdbc);

        AccountStore accounts = new AccountStore(jdbc);
        accounts.insertAccount(new Account("acc_alice", "Alice", false, T0));
        accounts.insertAccount(new Account("acc_bob", "Bob", true, T0.plusMillis(1)));
    }

    @AfterEach
    void close_data_source() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    // ---------------------------------------------------------------- jobs

    @Test
    void inserted_job_is_found_with_every_field_only_by_its_own_account() {
        // given
        Job job = aJob("job_1", "acc_alice").notification(new Notification("https://hook.example/done", "POST"))
                .idempotencyKey("idem-1").requestHash("req-hash").build();

        // when
        jobs.insert(job, T0);

        // then
        Job expected = new Job("job_1", "acc_alice", "my job", Operation.VERIFY, java.util.Map.of(), ResultFormat.NDJSON, JobStatus.OPEN,
                0, new Notification("https://hook.example/done", "POST"), 72, "idem-1", "req-hash", RecordCounts.ZERO,
                T0, T0);
        assertThat(jobs.find("acc_alice", "job_1")).contains(expected);
        assertThat(jobs.findById("job_1")).contains(expected);
        assertThat(jobs.find("acc_bob", "job_1")).isEmpty();
        assertThat(jobs.find("acc_alice", "job_missing")).isEmpty();
    }

    @Test
    void job_without_notification_and_idempotency_key_keeps_them_null() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);

        // when
        Job found = jobs.find("acc_alice", "job_1").orElseThrow();

        // then
        assertThat(found.notification()).isNull();
        assertThat(found.idempotencyKey()).isNull();
        assertThat(found.requestHash()).isNull();
    }

    @Test
    void job_is_found_by_idempotency_key_within_its_account_only() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").idempotencyKey("idem-1").requestHash("h1").build(), T0);

        // when
        var mine = jobs.findByIdempotencyKey("acc_alice", "idem-1");
        var theirs = jobs.findByIdempotencyKey("acc_bob", "idem-1");
        var other = jobs.findByIdempotencyKey("acc_alice", "idem-2");

        // then
        assertThat(mine).get().extracting(Job::id, Job::requestHash).containsExactly("job_1", "h1");
        assertThat(theirs).isEmpty();
        assertThat(other).isEmpty();
    }

    @Test
    void a_second_job_with_the_same_idempotency_key_in_one_account_raises_duplicate_key() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").idempotencyKey("idem-1").build(), T0);

        // when / then
        assertThatThrownBy(() -> jobs.insert(aJob("job_2", "acc_alice").idempotencyKey("idem-1").build(), T0))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(jobs.findById("job_2")).isEmpty();
    }

    @Test
    void the_same_idempotency_key_in_another_account_and_missing_keys_do_not_collide() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").idempotencyKey("idem-1").build(), T0);

        // when
        jobs.insert(aJob("job_2", "acc_bob").idempotencyKey("idem-1").build(), T0);
        jobs.insert(aJob("job_3", "acc_alice").build(), T0);
        jobs.insert(aJob("job_4", "acc_alice").build(), T0);

        // then
        assertThat(jobs.findByIdempotencyKey("acc_bob", "idem-1")).get().extracting(Job::id).isEqualTo("job_2");
        assertThat(jobs.page("acc_alice", null, null, 10)).extracting(Job::id)
                .containsExactly("job_4", "job_3", "job_1");
    }

    @Test
    void page_lists_newest_first_and_continues_after_the_cursor() {
        // given: five jobs whose ids grow with time, and one of another account
        List<String> ids = fiveJobsOfAlice();
        jobs.insert(aJob(Ids.next("job", T0.toEpochMilli() + 10), "acc_bob").build(), T0);

        // when
        List<Job> first = jobs.page("acc_alice", null, null, 2);
        List<Job> second = jobs.page("acc_alice", null, first.get(1).id(), 2);
        List<Job> third = jobs.page("acc_alice", null, second.get(1).id(), 2);
        List<Job> fourth = jobs.page("acc_alice", null, third.get(0).id(), 2);

        // then
        assertThat(first).extracting(Job::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(second).extracting(Job::id).containsExactly(ids.get(2), ids.get(1));
        assertThat(third).extracting(Job::id).containsExactly(ids.get(0));
        assertThat(fourth).isEmpty();
    }

    @Test
    void page_filters_by_status() {
        // given: five jobs, the second and fourth cancelled
        List<String> ids = fiveJobsOfAlice();
        for (String id : List.of(ids.get(1), ids.get(3))) {
            assertThat(jobs.moveStatus(jobs.findById(id).orElseThrow(), JobStatus.CANCELLED, T0.plusSeconds(1)))
                    .isTrue();
        }

        // when
        List<Job> cancelled = jobs.page("acc_alice", JobStatus.CANCELLED, null, 10);
        List<Job> open = jobs.page("acc_alice", JobStatus.OPEN, null, 10);
        List<Job> openAfterCursor = jobs.page("acc_alice", JobStatus.OPEN, ids.get(4), 1);

        // then
        assertThat(cancelled).extracting(Job::id).containsExactly(ids.get(3), ids.get(1));
        assertThat(cancelled).extracting(Job::status).containsOnly(JobStatus.CANCELLED);
        assertThat(open).extracting(Job::id).containsExactly(ids.get(4), ids.get(2), ids.get(0));
        assertThat(openAfterCursor).extracting(Job::id).containsExactly(ids.get(2));
    }

    @Test
    void move_status_succeeds_once_and_a_stale_version_answers_false() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        Job open = jobs.findById("job_1").orElseThrow();
        Instant later = T0.plusSeconds(5);

        // when
        boolean first = jobs.moveStatus(open, JobStatus.CANCELLED, later);
        boolean again = jobs.moveStatus(open, JobStatus.CANCELLED, T0.plusSeconds(9));

        // then
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        Job cancelled = jobs.findById("job_1").orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.version()).isEqualTo(1);
        assertThat(cancelled.updatedAt()).isEqualTo(later);
        assertThat(cancelled.createdAt()).isEqualTo(T0);
    }

    @Test
    void move_status_with_the_right_status_but_an_old_version_answers_false() {
        // given: the job's version moved on (counters bump it) while its status stayed open
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        Job stale = jobs.findById("job_1").orElseThrow();
        jobs.addTotal("job_1", 10, T0.plusSeconds(1));

        // when
        boolean moved = jobs.moveStatus(stale, JobStatus.CANCELLED, T0.plusSeconds(2));

        // then
        assertThat(moved).isFalse();
        Job current = jobs.findById("job_1").orElseThrow();
        assertThat(current.status()).isEqualTo(JobStatus.OPEN);
        assertThat(current.version()).isEqualTo(1);
    }

    @Test
    void move_status_out_of_cancelled_throws_before_touching_the_row() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        jobs.moveStatus(jobs.findById("job_1").orElseThrow(), JobStatus.CANCELLED, T0.plusSeconds(1));
        Job cancelled = jobs.findById("job_1").orElseThrow();

        // when / then
        assertThatThrownBy(() -> jobs.moveStatus(cancelled, JobStatus.OPEN, T0.plusSeconds(2)))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.from()).isEqualTo(JobStatus.CANCELLED);
                    assertThat(e.to()).isEqualTo(JobStatus.OPEN);
                });
        assertThat(jobs.findById("job_1")).contains(cancelled);
    }

    @Test
    void add_total_and_add_processed_accumulate_every_counter_and_bump_the_version() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);

        // when
        jobs.addTotal("job_1", 100, T0.plusSeconds(1));
        jobs.addTotal("job_1", 50, T0.plusSeconds(2));
        jobs.addProcessed("job_1", new RecordCounts(0, 40, 20, 10, 6, 4), T0.plusSeconds(3));
        jobs.addProcessed("job_1", new RecordCounts(0, 30, 15, 8, 5, 2), T0.plusSeconds(4));

        // then
        Job job = jobs.findById("job_1").orElseThrow();
        assertThat(job.records()).isEqualTo(new RecordCounts(150, 70, 35, 18, 11, 6));
        assertThat(job.version()).isEqualTo(4);
        assertThat(job.updatedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(job.status()).isEqualTo(JobStatus.OPEN);
    }

    @Test
    void batch_counts_group_the_jobs_batches_by_status() {
        // given: job_1 with two waiting batches and one queued; job_2 with one waiting
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        jobs.insert(aJob("job_2", "acc_alice").build(), T0);
        jobs.insert(aJob("job_3", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        batches.insert(aBatch("bat_2", "job_1").build(), T0);
        batches.insert(aBatch("bat_3", "job_1").build(), T0);
        batches.insert(aBatch("bat_4", "job_2").build(), T0);
        assertThat(batches.markQueued(batches.findById("bat_3").orElseThrow(), "a.csv", "in/bat_3", 10, "sha",
                T0.plusSeconds(1))).isTrue();

        // when
        Map<BatchStatus, Long> one = jobs.batchCounts("job_1");
        Map<BatchStatus, Long> two = jobs.batchCounts("job_2");
        Map<BatchStatus, Long> three = jobs.batchCounts("job_3");

        // then
        assertThat(one).containsExactlyInAnyOrderEntriesOf(
                Map.of(BatchStatus.WAITING_FOR_UPLOAD, 2L, BatchStatus.QUEUED, 1L));
        assertThat(two).containsExactlyInAnyOrderEntriesOf(Map.of(BatchStatus.WAITING_FOR_UPLOAD, 1L));
        assertThat(three).isEmpty();
    }

    @Test
    void delete_removes_the_job_with_its_batches_chunks_and_events_and_nothing_else() {
        // given: two jobs, each with a batch, chunks and events
        for (String n : List.of("1", "2")) {
            jobs.insert(aJob("job_" + n, "acc_alice").build(), T0);
            batches.insert(aBatch("bat_" + n, "job_" + n).build(), T0);
            chunks.replaceAll("bat_" + n, List.of(10L, 10L, 5L), T0);
            events.append("acc_alice", "job_" + n, null, EventType.JOB_CREATED, "created", T0);
            events.append("acc_alice", "job_" + n, "bat_" + n, EventType.BATCH_CREATED, "batch", T0);
        }

        // when
        tx.executeWithoutResult(status -> jobs.delete("job_1"));

        // then
        assertThat(jobs.findById("job_1")).isEmpty();
        assertThat(batches.findById("bat_1")).isEmpty();
        assertThat(chunks.find("bat_1", 0)).isEmpty();
        assertThat(events.page("job_1", 0, 100)).isEmpty();
        assertThat(count("jobs")).isEqualTo(1);
        assertThat(count("batches")).isEqualTo(1);
        assertThat(count("chunks")).isEqualTo(3);
        assertThat(count("events")).isEqualTo(2);
        assertThat(jobs.findById("job_2")).isPresent();
        assertThat(chunks.pending("bat_2")).hasSize(3);
    }

    // ---------------------------------------------------------------- batches

    @Test
    void inserted_batch_is_found_scoped_by_account_and_job_with_nullable_fields_null() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        Instant uploadExpires = T0.plus(Duration.ofHours(1));

        // when
        batches.insert(aBatch("bat_1", "job_1").uploadExpiresAt(uploadExpires).build(), T0);

        // then
        Batch expected = new Batch(new Batch.Identity("bat_1", "job_1", "acc_alice"), BatchStatus.WAITING_FOR_UPLOAD,
                0, new Batch.Input(BatchSource.UPLOAD, null, null, null, null, null, uploadExpires, 1000, null, null, null,
                        null),
                Batch.Progress.NONE, new Batch.Outcome(null, null, ResultFormat.CSV, null, null, null), T0, T0);
        assertThat(batches.find("acc_alice", "job_1", "bat_1")).contains(expected);
        assertThat(batches.findById("bat_1")).contains(expected);
        assertThat(batches.ofJob("job_1")).containsExactly(expected);
        assertThat(batches.find("acc_bob", "job_1", "bat_1")).isEmpty();
        assertThat(batches.find("acc_alice", "job_other", "bat_1")).isEmpty();
    }

    @Test
    void batch_without_upload_expiry_keeps_it_null_and_keeps_its_file_name_and_source() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);

        // when
        batches.insert(aBatch("bat_1", "job_1").source(BatchSource.MULTIPART).fileName("people.csv")
                .resultFormat(ResultFormat.JSON).recordLimit(5_000_000).build(), T0);

        // then
        Batch found = batches.findById("bat_1").orElseThrow();
        assertThat(found.uploadExpiresAt()).isNull();
        assertThat(found.source()).isEqualTo(BatchSource.MULTIPART);
        assertThat(found.fileName()).isEqualTo("people.csv");
        assertThat(found.resultFormat()).isEqualTo(ResultFormat.JSON);
        assertThat(found.recordLimit()).isEqualTo(5_000_000);
    }

    @Test
    void duplicates_count_with_the_chunks_and_the_estimate_is_kept_with_the_completed_batch() {
        // given a loaded batch of two chunks
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        assertThat(batches.markQueued(batches.findById("bat_1").orElseThrow(), "a.csv", "in/bat_1", 10, "sha",
                T0.plusSeconds(1))).isTrue();
        assertThat(batches.markLoading(batches.findById("bat_1").orElseThrow(), T0.plusSeconds(2))).isTrue();
        assertThat(batches.markLoaded(batches.findById("bat_1").orElseThrow(), List.of("email"), 0, "UTF-8", ",", 4,
                2, T0.plusSeconds(3))).isTrue();

        // when both chunks add their counters, duplicates included, and the batch completes with an estimate
        RecordCounts chunk = new RecordCounts(0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1);
        assertThat(batches.addChunk("bat_1", chunk, T0.plusSeconds(4))).isTrue();
        assertThat(batches.addChunk("bat_1", chunk, T0.plusSeconds(5))).isTrue();
        jobs.addProcessed("job_1", chunk, T0.plusSeconds(5));
        Batch processed = batches.findById("bat_1").orElseThrow();
        assertThat(batches.markCompleted(processed, "estimate.json", T0.plusSeconds(100), "{\"records\":4}",
                T0.plusSeconds(6))).isTrue();

        // then
        Batch completed = batches.findById("bat_1").orElseThrow();
        assertThat(completed.records()).isEqualTo(new RecordCounts(4, 4, 0, 2, 0, 0, 0, 0, 0, 0, 2));
        assertThat(completed.estimate()).isEqualTo("{\"records\":4}");
        assertThat(jobs.findById("job_1").orElseThrow().records().duplicates()).isEqualTo(1);
    }

    @Test
    void batch_goes_through_its_whole_life_with_every_counter_and_version() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        Batch waiting = batches.findById("bat_1").orElseThrow();

        // when: queued
        assertThat(batches.markQueued(waiting, "list.csv", "in/bat_1", 1234, "ab12", T0.plusSeconds(1))).isTrue();
        // then
        Batch queued = batches.findById("bat_1").orElseThrow();
        assertThat(queued.status()).isEqualTo(BatchStatus.QUEUED);
        assertThat(queued.version()).isEqualTo(1);
        assertThat(queued.fileName()).isEqualTo("list.csv");
        assertThat(queued.inputKey()).isEqualTo("in/bat_1");
        assertThat(queued.sizeBytes()).isEqualTo(1234L);
        assertThat(queued.sha256()).isEqualTo("ab12");
        assertThat(queued.updatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(queued.startedAt()).isNull();

        // when: loading
        assertThat(batches.markLoading(queued, T0.plusSeconds(2))).isTrue();
        // then
        Batch loading = batches.findById("bat_1").orElseThrow();
        assertThat(loading.status()).isEqualTo(BatchStatus.LOADING);
        assertThat(loading.version()).isEqualTo(2);
        assertThat(loading.startedAt()).isEqualTo(T0.plusSeconds(2));

        // when: loaded
        assertThat(batches.markLoaded(loading, List.of("email", "first name", "ünïcode"), 0, "UTF-8", ";", 25, 3,
                T0.plusSeconds(3))).isTrue();
        // then
        Batch loaded = batches.findById("bat_1").orElseThrow();
        assertThat(loaded.status()).isEqualTo(BatchStatus.IN_PROGRESS);
        assertThat(loaded.version()).isEqualTo(3);
        assertThat(loaded.columns()).containsExactly("email", "first name", "ünïcode");
        assertThat(loaded.keyColumn()).isEqualTo(0);
        assertThat(loaded.charset()).isEqualTo("UTF-8");
        assertThat(loaded.delimiter()).isEqualTo(";");
        assertThat(loaded.records()).isEqualTo(new RecordCounts(25, 0, 0, 0, 0, 0));
        assertThat(loaded.chunksTotal()).isEqualTo(3);
        assertThat(loaded.chunksDone()).isZero();
        assertThat(loaded.startedAt()).isEqualTo(T0.plusSeconds(2));

        // when: three chunks finish
        assertThat(batches.addChunk("bat_1", new RecordCounts(0, 10, 5, 3, 1, 1), T0.plusSeconds(4))).isTrue();
        assertThat(batches.addChunk("bat_1", new RecordCounts(0, 10, 4, 4, 2, 0), T0.plusSeconds(5))).isTrue();
        assertThat(batches.addChunk("bat_1", new RecordCounts(0, 5, 1, 1, 1, 2), T0.plusSeconds(6))).isTrue();
        // then
        Batch processed = batches.findById("bat_1").orElseThrow();
        assertThat(processed.records()).isEqualTo(new RecordCounts(25, 25, 10, 8, 4, 3));
        assertThat(processed.chunksDone()).isEqualTo(3);
        assertThat(processed.version()).isEqualTo(6);
        assertThat(processed.status()).isEqualTo(BatchStatus.IN_PROGRESS);

        // when: completed, first with the stale loaded copy, then with the current one
        Instant resultExpires = T0.plus(Duration.ofHours(72));
        assertThat(batches.markCompleted(loaded, "result.csv", resultExpires, T0.plusSeconds(7))).isFalse();
        assertThat(batches.markCompleted(processed, "result.csv", resultExpires, T0.plusSeconds(8))).isTrue();
        // then
        Batch completed = batches.findById("bat_1").orElseThrow();
        assertThat(completed.status()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(completed.version()).isEqualTo(7);
        assertThat(completed.completedAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(completed.updatedAt()).isEqualTo(T0.plusSeconds(8));
        assertThat(completed.resultExpiresAt()).isEqualTo(resultExpires);
        assertThat(completed.records()).isEqualTo(new RecordCounts(25, 25, 10, 8, 4, 3));
        assertThat(completed.errorCode()).isNull();
        assertThat(completed.errorMessage()).isNull();
        assertThat(completed.createdAt()).isEqualTo(T0);

        // and: a late chunk is refused once the batch is no longer in progress
        assertThat(batches.addChunk("bat_1", new RecordCounts(0, 1, 1, 0, 0, 0), T0.plusSeconds(9))).isFalse();
        assertThat(batches.findById("bat_1")).contains(completed);
    }

    @Test
    void mark_queued_without_a_file_name_keeps_the_one_given_at_creation() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").fileName("original.csv").build(), T0);

        // when
        boolean queued = batches.markQueued(batches.findById("bat_1").orElseThrow(), null, "in/bat_1", 7, "ff",
                T0.plusSeconds(1));

        // then
        assertThat(queued).isTrue();
        assertThat(batches.findById("bat_1").orElseThrow().fileName()).isEqualTo("original.csv");
    }

    @Test
    void a_batch_joins_only_an_open_job() {
        // given an open job, a cancelled one and one being deleted
        jobs.insert(aJob("job_open", "acc_alice").build(), T0);
        jobs.insert(aJob("job_cancelled", "acc_alice").build(), T0);
        jobs.insert(aJob("job_deleting", "acc_alice").build(), T0);
        assertThat(jobs.moveStatus(jobs.findById("job_cancelled").orElseThrow(), JobStatus.CANCELLED, T0)).isTrue();
        assertThat(jobs.moveStatus(jobs.findById("job_deleting").orElseThrow(), JobStatus.DELETING, T0)).isTrue();

        // when a batch is inserted into each
        boolean open = batches.insert(aBatch("bat_1", "job_open").build(), T0);
        boolean cancelled = batches.insert(aBatch("bat_2", "job_cancelled").build(), T0);
        boolean deleting = batches.insert(aBatch("bat_3", "job_deleting").build(), T0);

        // then only the open job took one
        assertThat(open).isTrue();
        assertThat(cancelled).isFalse();
        assertThat(deleting).isFalse();
        assertThat(batches.findById("bat_1")).isPresent();
        assertThat(batches.findById("bat_2")).isEmpty();
        assertThat(batches.findById("bat_3")).isEmpty();
    }

    @Test
    void a_job_being_deleted_is_gone_for_client_reads_and_still_there_for_workers() {
        // given two jobs of alice's, one with an idempotency key, moved to deleting
        jobs.insert(aJob("job_1", "acc_alice").idempotencyKey("idem-1").build(), T0);
        jobs.insert(aJob("job_2", "acc_alice").build(), T0);
        assertThat(jobs.moveStatus(jobs.findById("job_1").orElseThrow(), JobStatus.DELETING, T0.plusSeconds(1))).isTrue();

        // when / then: by id, by key and in pages it is gone; workers (and the purge) still find it
        assertThat(jobs.find("acc_alice", "job_1")).isEmpty();
        assertThat(jobs.findByIdempotencyKey("acc_alice", "idem-1")).isEmpty();
        assertThat(jobs.page("acc_alice", null, null, 10)).extracting(Job::id).containsExactly("job_2");
        assertThat(jobs.page("acc_alice", JobStatus.DELETING, null, 10)).isEmpty();
        assertThat(jobs.findById("job_1")).get().extracting(Job::status).isEqualTo(JobStatus.DELETING);
    }

    @Test
    void renewed_upload_link_moves_the_expiry_of_a_waiting_batch_only() {
        // given a waiting batch and a queued one, both with links
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").uploadExpiresAt(T0.plusSeconds(60)).build(), T0);
        batches.insert(aBatch("bat_2", "job_1").uploadExpiresAt(T0.plusSeconds(60)).build(), T0);
        Batch waiting = batches.findById("bat_1").orElseThrow();
        assertThat(batches.markQueued(batches.findById("bat_2").orElseThrow(), "a.csv", "in/bat_2", 1, "s", T0)).isTrue();

        // when both are renewed, and the first again with its stale version
        boolean renewed = batches.renewUploadLink(waiting, T0.plusSeconds(3600), T0.plusSeconds(1));
        boolean stale = batches.renewUploadLink(waiting, T0.plusSeconds(7200), T0.plusSeconds(2));
        boolean queued = batches.renewUploadLink(batches.findById("bat_2").orElseThrow(), T0.plusSeconds(3600), T0);

        // then only the waiting batch moved, once
        assertThat(renewed).isTrue();
        assertThat(stale).isFalse();
        assertThat(queued).isFalse();
        Batch after = batches.findById("bat_1").orElseThrow();
        assertThat(after.uploadExpiresAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(after.version()).isEqualTo(waiting.version() + 1);
        assertThat(batches.findById("bat_2").orElseThrow().uploadExpiresAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void abandoned_uploads_are_waiting_batches_whose_link_expired_before_the_cutoff() {
        // given waiting batches with links expiring at 10 s, 20 s and 30 s, one without link, a queued one at 5 s
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        jobs.insert(aJob("job_2", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_10", "job_1").uploadExpiresAt(T0.plusSeconds(10)).build(), T0);
        batches.insert(aBatch("bat_20", "job_2").uploadExpiresAt(T0.plusSeconds(20)).build(), T0);
        batches.insert(aBatch("bat_30", "job_1").uploadExpiresAt(T0.plusSeconds(30)).build(), T0);
        batches.insert(aBatch("bat_none", "job_1").build(), T0);
        batches.insert(aBatch("bat_05", "job_1").uploadExpiresAt(T0.plusSeconds(5)).build(), T0);
        assertThat(batches.markQueued(batches.findById("bat_05").orElseThrow(), "a.csv", "in/x", 1, "s", T0)).isTrue();

        // when asked for those expired before 30 s, one page of one, then all
        List<Batch> first = batches.abandonedUploads(T0.plusSeconds(30), 1);
        List<Batch> all = batches.abandonedUploads(T0.plusSeconds(30), 10);

        // then the oldest come first, across jobs, and nothing queued or without a link
        assertThat(first).extracting(Batch::id).containsExactly("bat_10");
        assertThat(all).extracting(Batch::id).containsExactly("bat_10", "bat_20");
    }

    @Test
    void every_batch_status_write_with_a_stale_version_answers_false_and_changes_nothing() {
        // given: a batch in progress, and copies of it from every earlier step
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        Batch waiting = batches.findById("bat_1").orElseThrow();
        batches.markQueued(waiting, "a.csv", "in/a", 1, "s", T0.plusSeconds(1));
        Batch queued = batches.findById("bat_1").orElseThrow();
        batches.markLoading(queued, T0.plusSeconds(2));
        Batch loading = batches.findById("bat_1").orElseThrow();
        batches.markLoaded(loading, List.of("email"), 0, "UTF-8", ",", 2, 1, T0.plusSeconds(3));
        Batch current = batches.findById("bat_1").orElseThrow();

        // when
        boolean queuedAgain = batches.markQueued(waiting, "b.csv", "in/b", 2, "t", T0.plusSeconds(4));
        boolean loadingAgain = batches.markLoading(queued, T0.plusSeconds(4));
        boolean loadedAgain = batches.markLoaded(loading, List.of("x"), 0, "UTF-8", ",", 9, 9, T0.plusSeconds(4));
        boolean problemFromStale = batches.markProblem(loading, BatchStatus.MALFORMED, "no_email_column", "m",
                T0.plusSeconds(4));
        boolean movedFromStale = batches.move(queued, BatchStatus.CANCELLED, T0.plusSeconds(4));

        // then
        assertThat(List.of(queuedAgain, loadingAgain, loadedAgain, problemFromStale, movedFromStale))
                .containsOnly(false);
        assertThat(batches.findById("bat_1")).contains(current);
    }

    @Test
    void mark_problem_records_the_reason_and_finishes_the_batch() {
        // given: a batch being loaded
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        batches.markQueued(batches.findById("bat_1").orElseThrow(), "a.csv", "in/a", 1, "s", T0.plusSeconds(1));
        batches.markLoading(batches.findById("bat_1").orElseThrow(), T0.plusSeconds(2));
        Batch loading = batches.findById("bat_1").orElseThrow();

        // when
        boolean first = batches.markProblem(loading, BatchStatus.MALFORMED, "no_email_column",
                "no column holds email addresses", T0.plusSeconds(3));
        boolean second = batches.markProblem(loading, BatchStatus.FAILED, "storage", "disk full", T0.plusSeconds(4));

        // then
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        Batch malformed = batches.findById("bat_1").orElseThrow();
        assertThat(malformed.status()).isEqualTo(BatchStatus.MALFORMED);
        assertThat(malformed.version()).isEqualTo(3);
        assertThat(malformed.errorCode()).isEqualTo("no_email_column");
        assertThat(malformed.errorMessage()).isEqualTo("no column holds email addresses");
        assertThat(malformed.completedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(malformed.updatedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(malformed.startedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(malformed.resultExpiresAt()).isNull();
    }

    @Test
    void move_cancels_a_waiting_batch_once() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        Batch waiting = batches.findById("bat_1").orElseThrow();

        // when
        boolean first = batches.move(waiting, BatchStatus.CANCELLED, T0.plusSeconds(1));
        boolean second = batches.move(waiting, BatchStatus.CANCELLED, T0.plusSeconds(2));

        // then
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        Batch cancelled = batches.findById("bat_1").orElseThrow();
        assertThat(cancelled.status()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(cancelled.version()).isEqualTo(1);
        assertThat(cancelled.updatedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void an_illegal_batch_move_throws_before_touching_the_row() {
        // given: a batch still waiting for its upload
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        Batch waiting = batches.findById("bat_1").orElseThrow();
        Instant later = T0.plusSeconds(1);

        // when / then
        assertThatThrownBy(() -> batches.markLoading(waiting, later))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.from()).isEqualTo(BatchStatus.WAITING_FOR_UPLOAD);
                    assertThat(e.to()).isEqualTo(BatchStatus.LOADING);
                });
        assertThatThrownBy(() -> batches.markLoaded(waiting, List.of("email"), 0, "UTF-8", ",", 1, 1, later))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> batches.markCompleted(waiting, "result.csv", later, later))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> batches.markProblem(waiting, BatchStatus.MALFORMED, "x", "y", later))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> batches.move(waiting, BatchStatus.WAITING_FOR_UPLOAD, later))
                .isInstanceOf(IllegalTransitionException.class);
        assertThat(batches.findById("bat_1")).contains(waiting);

        // and: a batch absent from the database gets the same exception, so no SQL decided it
        Batch ghost = aBatch("bat_ghost", "job_1").status(BatchStatus.COMPLETED).build();
        assertThatThrownBy(() -> batches.markQueued(ghost, "a", "b", 1, "c", later))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.from()).isEqualTo(BatchStatus.COMPLETED);
                    assertThat(e.to()).isEqualTo(BatchStatus.QUEUED);
                });
    }

    @Test
    void add_chunk_to_a_batch_not_in_progress_answers_false() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);

        // when
        boolean added = batches.addChunk("bat_1", new RecordCounts(0, 1, 1, 0, 0, 0), T0.plusSeconds(1));

        // then
        assertThat(added).isFalse();
        Batch batch = batches.findById("bat_1").orElseThrow();
        assertThat(batch.records()).isEqualTo(RecordCounts.ZERO);
        assertThat(batch.chunksDone()).isZero();
        assertThat(batch.version()).isZero();
    }

    @Test
    void deferred_records_move_to_processed_only_while_the_batch_is_in_progress() {
        // given an in-progress batch whose chunk put two records aside, and a cancelled batch
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").status(BatchStatus.IN_PROGRESS).build(), T0);
        batches.insert(aBatch("bat_2", "job_1").status(BatchStatus.CANCELLED).build(), T0);
        assertThat(batches.addChunk("bat_1", new RecordCounts(0, 8, 8, 0, 0, 0, 0, 0, 0, 2, 0), T0.plusSeconds(1)))
                .isTrue();
        jobs.addProcessed("job_1", new RecordCounts(0, 8, 8, 0, 0, 0, 0, 0, 0, 2, 0), T0.plusSeconds(1));

        // when one is settled valid and the other unknown, and a settling reaches the cancelled batch
        RecordCounts valid = new RecordCounts(0, 1, 1, 0, 0, 0, 0, 0, 0, -1, 0);
        RecordCounts unknown = new RecordCounts(0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0);
        boolean first = batches.addWhileInProgress("bat_1", valid, T0.plusSeconds(2));
        boolean second = batches.addWhileInProgress("bat_1", unknown, T0.plusSeconds(3));
        boolean late = batches.addWhileInProgress("bat_2", valid, T0.plusSeconds(4));
        jobs.addProcessed("job_1", valid, T0.plusSeconds(2));

        // then the in-progress batch has every record processed and none deferred; the cancelled one is as it was
        assertThat(first).isTrue();
        assertThat(second).isTrue();
        assertThat(late).isFalse();
        Batch batch = batches.findById("bat_1").orElseThrow();
        assertThat(batch.records()).isEqualTo(new RecordCounts(0, 10, 9, 0, 0, 1, 0, 0, 0, 0, 0));
        assertThat(batch.version()).isEqualTo(3);
        assertThat(batch.updatedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(batches.findById("bat_2").orElseThrow().records()).isEqualTo(RecordCounts.ZERO);
        assertThat(jobs.findById("job_1").orElseThrow().records())
                .isEqualTo(new RecordCounts(0, 9, 9, 0, 0, 0, 0, 0, 0, 1, 0));
    }

    // ---------------------------------------------------------------- chunks

    @Test
    void replace_all_numbers_first_rows_from_one_cumulatively() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);

        // when
        chunks.replaceAll("bat_1", List.of(10L, 20L, 5L), T0);

        // then
        assertThat(chunks.pending("bat_1")).containsExactly(
                new Chunk("bat_1", 0, ChunkStatus.PENDING, 0, 1, 10),
                new Chunk("bat_1", 1, ChunkStatus.PENDING, 0, 11, 20),
                new Chunk("bat_1", 2, ChunkStatus.PENDING, 0, 31, 5));
        assertThat(chunks.find("bat_1", 3)).isEmpty();
    }

    @Test
    void replace_all_drops_the_previous_chunks_of_that_batch_only() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        batches.insert(aBatch("bat_2", "job_1").build(), T0);
        chunks.replaceAll("bat_1", List.of(10L, 20L, 5L), T0);
        chunks.replaceAll("bat_2", List.of(4L), T0);
        chunks.markDone(chunks.find("bat_1", 0).orElseThrow(), T0);

        // when
        chunks.replaceAll("bat_1", List.of(7L, 8L), T0.plusSeconds(1));

        // then
        assertThat(chunks.pending("bat_1")).containsExactly(
                new Chunk("bat_1", 0, ChunkStatus.PENDING, 0, 1, 7),
                new Chunk("bat_1", 1, ChunkStatus.PENDING, 0, 8, 8));
        assertThat(chunks.find("bat_1", 2)).isEmpty();
        assertThat(chunks.pending("bat_2")).containsExactly(new Chunk("bat_2", 0, ChunkStatus.PENDING, 0, 1, 4));
    }

    @Test
    void mark_done_succeeds_exactly_once_and_pending_lists_only_pending_chunks() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        chunks.replaceAll("bat_1", List.of(10L, 20L, 5L), T0);
        Chunk second = chunks.find("bat_1", 1).orElseThrow();

        // when
        boolean first = chunks.markDone(second, T0.plusSeconds(1));
        boolean again = chunks.markDone(second, T0.plusSeconds(2));

        // then
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(chunks.find("bat_1", 1)).contains(new Chunk("bat_1", 1, ChunkStatus.DONE, 1, 11, 20));
        assertThat(chunks.pending("bat_1")).extracting(Chunk::index).containsExactly(0, 2);
    }

    @Test
    void mark_done_on_a_done_chunk_throws_illegal_transition() {
        // given
        jobs.insert(aJob("job_1", "acc_alice").build(), T0);
        batches.insert(aBatch("bat_1", "job_1").build(), T0);
        chunks.replaceAll("bat_1", List.of(10L), T0);
        chunks.markDone(chunks.find("bat_1", 0).orElseThrow(), T0);
        Chunk done = chunks.find("bat_1", 0).orElseThrow();

        // when / then
        assertThatThrownBy(() -> chunks.markDone(done, T0.plusSeconds(1)))
                .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                    assertThat(e.from()).isEqualTo(ChunkStatus.DONE);
                    assertThat(e.to()).isEqualTo(ChunkStatus.DONE);
                });
        assertThat(chunks.find("bat_1", 0)).contains(done);
    }

    // ---------------------------------------------------------------- events

    @Test
    void events_page_oldest_first_after_an_id_with_a_limit() {
        // given: five events of job_1 interleaved with two of job_2
        events.append("acc_alice", "job_1", null, EventType.JOB_CREATED, "job created", T0);
        events.append("acc_alice", "job_2", null, EventType.JOB_CREATED, "other job", T0);
        events.append("acc_alice", "job_1", "bat_1", EventType.BATCH_CREATED, "batch created", T0.plusSeconds(1));
        events.append("acc_alice", "job_1", "bat_1", EventType.BATCH_QUEUED, "batch queued", T0.plusSeconds(2));
        events.append("acc_alice", "job_2", "bat_9", EventType.BATCH_CREATED, "other batch", T0.plusSeconds(2));
        events.append("acc_alice", "job_1", "bat_1", EventType.BATCH_LOADED, "batch loaded", T0.plusSeconds(3));
        events.append("acc_alice", "job_1", "bat_1", EventType.BATCH_COMPLETED, "batch completed", T0.plusSeconds(4));

        // when
        List<Event> first = events.page("job_1", 0, 3);
        List<Event> second = events.page("job_1", first.get(2).id(), 3);
        List<Event> third = events.page("job_1", second.get(1).id(), 3);

        // then
        assertThat(first).extracting(Event::jobId, Event::batchId, Event::type, Event::message, Event::at)
                .containsExactly(
                        tuple("job_1", null, "job_created", "job created", T0),
                        tuple("job_1", "bat_1", "batch_created", "batch created",
                                T0.plusSeconds(1)),
                        tuple("job_1", "bat_1", "batch_queued", "batch queued",
                                T0.plusSeconds(2)));
        assertThat(second).extracting(Event::type).containsExactly("batch_loaded", "batch_completed");
        assertThat(third).isEmpty();
        assertThat(first).extracting(Event::id).isSorted().doesNotHaveDuplicates();
        assertThat(second.get(0).id()).isGreaterThan(first.get(2).id());
        assertThat(events.page("job_2", 0, 10)).extracting(Event::message).containsExactly("other job", "other batch");
        assertThat(events.page("job_none", 0, 10)).isEmpty();
    }

    // ---------------------------------------------------------------- fixtures

    /** Five jobs of alice, ids growing one millisecond apart; answers their ids oldest first. */
    private List<String> fiveJobsOfAlice() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = Ids.next("job", T0.toEpochMilli() + i);
            jobs.insert(aJob(id, "acc_alice").build(), T0.plusMillis(i));
            ids.add(id);
        }
        assertThat(ids).isSorted();
        return ids;
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    static JobBuilder aJob(String id, String accountId) {
        return new JobBuilder(id, accountId);
    }

    static BatchBuilder aBatch(String id, String jobId) {
        return new BatchBuilder(id, jobId);
    }

    /** An open verify job of alice's with NDJSON output and 72 h retention unless told otherwise. */
    static final class JobBuilder {
        private final String id;
        private final String accountId;
        private Notification notification;
        private String idempotencyKey;
        private String requestHash;

        JobBuilder(String id, String accountId) {
            this.id = id;
            this.accountId = accountId;
        }

        JobBuilder notification(Notification value) {
            notification = value;
            return this;
        }

        JobBuilder idempotencyKey(String value) {
            idempotencyKey = value;
            return this;
        }

        JobBuilder requestHash(String value) {
            requestHash = value;
            return this;
        }

        Job build() {
            return new Job(id, accountId, "my job", Operation.VERIFY, java.util.Map.of(), ResultFormat.NDJSON, JobStatus.OPEN, 0,
                    notification, 72, idempotencyKey, requestHash, RecordCounts.ZERO, T0, T0);
        }
    }

    /** A batch of alice's waiting for its upload, CSV result, 1000-record limit unless told otherwise. */
    static final class BatchBuilder {
        private final String id;
        private final String jobId;
        private BatchSource source = BatchSource.UPLOAD;
        private BatchStatus status = BatchStatus.WAITING_FOR_UPLOAD;
        private String fileName;
        private Instant uploadExpiresAt;
        private long recordLimit = 1000;
        private ResultFormat resultFormat = ResultFormat.CSV;

        BatchBuilder(String id, String jobId) {
            this.id = id;
            this.jobId = jobId;
        }

        BatchBuilder source(BatchSource value) {
            source = value;
            return this;
        }

        BatchBuilder status(BatchStatus value) {
            status = value;
            return this;
        }

        BatchBuilder fileName(String value) {
            fileName = value;
            return this;
        }

        BatchBuilder uploadExpiresAt(Instant value) {
            uploadExpiresAt = value;
            return this;
        }

        BatchBuilder recordLimit(long value) {
            recordLimit = value;
            return this;
        }

        BatchBuilder resultFormat(ResultFormat value) {
            resultFormat = value;
            return this;
        }

        Batch build() {
            return new Batch(new Batch.Identity(id, jobId, "acc_alice"), status, 0,
                    new Batch.Input(source, fileName, null, null, null, null, uploadExpiresAt, recordLimit, null, null,
                            null, null),
                    Batch.Progress.NONE, new Batch.Outcome(null, null, resultFormat, null, null, null), T0, T0);
        }
    }
}
