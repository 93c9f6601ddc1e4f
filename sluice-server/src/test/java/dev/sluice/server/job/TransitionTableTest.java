package dev.sluice.server.job;

import static dev.sluice.server.job.BatchStatus.CANCELLED;
import static dev.sluice.server.job.BatchStatus.COMPLETED;
import static dev.sluice.server.job.BatchStatus.FAILED;
import static dev.sluice.server.job.BatchStatus.IN_PROGRESS;
import static dev.sluice.server.job.BatchStatus.LOADING;
import static dev.sluice.server.job.BatchStatus.MALFORMED;
import static dev.sluice.server.job.BatchStatus.QUEUED;
import static dev.sluice.server.job.BatchStatus.WAITING_FOR_UPLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pair (from, to) of every lifecycle, checked against a table written out here, independently of the
 * tables in the enums. A change to a lifecycle must change this table too.
 */
class TransitionTableTest {

    /** The allowed batch moves; every pair not listed is refused. */
    private static final Map<BatchStatus, Set<BatchStatus>> BATCH_MOVES = Map.of(
            WAITING_FOR_UPLOAD, EnumSet.of(QUEUED, FAILED, CANCELLED),
            QUEUED, EnumSet.of(LOADING, FAILED, CANCELLED),
            LOADING, EnumSet.of(IN_PROGRESS, MALFORMED, FAILED, CANCELLED),
            IN_PROGRESS, EnumSet.of(COMPLETED, FAILED, CANCELLED),
            COMPLETED, EnumSet.noneOf(BatchStatus.class),
            FAILED, EnumSet.noneOf(BatchStatus.class),
            MALFORMED, EnumSet.noneOf(BatchStatus.class),
            CANCELLED, EnumSet.noneOf(BatchStatus.class));

    private static final Set<BatchStatus> FINAL_BATCH_STATUSES = EnumSet.of(COMPLETED, FAILED, MALFORMED, CANCELLED);

    /** The allowed job moves. */
    private static final Map<JobStatus, Set<JobStatus>> JOB_MOVES = Map.of(
            JobStatus.OPEN, EnumSet.of(JobStatus.CANCELLED, JobStatus.DELETING),
            JobStatus.CANCELLED, EnumSet.of(JobStatus.DELETING),
            JobStatus.DELETING, EnumSet.noneOf(JobStatus.class));

    /** The allowed chunk moves. */
    private static final Map<ChunkStatus, Set<ChunkStatus>> CHUNK_MOVES = Map.of(
            ChunkStatus.PENDING, EnumSet.of(ChunkStatus.DONE),
            ChunkStatus.DONE, EnumSet.noneOf(ChunkStatus.class));

    static Stream<Arguments> batchPairs() {
        return pairs(BatchStatus.values(), BATCH_MOVES);
    }

    static Stream<Arguments> jobPairs() {
        return pairs(JobStatus.values(), JOB_MOVES);
    }

    static Stream<Arguments> chunkPairs() {
        return pairs(ChunkStatus.values(), CHUNK_MOVES);
    }

    private static <S extends Enum<S>> Stream<Arguments> pairs(S[] values, Map<S, Set<S>> moves) {
        return Arrays.stream(values).flatMap(from -> Arrays.stream(values)
                .map(to -> Arguments.of(from, to, moves.get(from).contains(to))));
    }

    @Test
    void the_expected_tables_name_every_status() {
        // given / when / then: a status added to an enum must be added to the tables of this test
        assertThat(BATCH_MOVES.keySet()).containsExactlyInAnyOrder(BatchStatus.values());
        assertThat(JOB_MOVES.keySet()).containsExactlyInAnyOrder(JobStatus.values());
        assertThat(CHUNK_MOVES.keySet()).containsExactlyInAnyOrder(ChunkStatus.values());
        assertThat(batchPairs()).hasSize(64);
        assertThat(jobPairs()).hasSize(9);
        assertThat(chunkPairs()).hasSize(4);
    }

    @ParameterizedTest(name = "batch {0} -> {1} allowed: {2}")
    @MethodSource("batchPairs")
    void batch_move_is_allowed_exactly_when_the_table_lists_it(BatchStatus from, BatchStatus to, boolean allowed) {
        // given: the pair and its expected answer

        // when
        boolean answer = from.canMoveTo(to);

        // then
        assertThat(answer).isEqualTo(allowed);
        if (allowed) {
            assertThatCode(() -> from.checkMoveTo(to)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> from.checkMoveTo(to))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertNames(e, from, to));
        }
    }

    @ParameterizedTest(name = "job {0} -> {1} allowed: {2}")
    @MethodSource("jobPairs")
    void job_move_is_allowed_exactly_when_the_table_lists_it(JobStatus from, JobStatus to, boolean allowed) {
        // given: the pair and its expected answer

        // when
        boolean answer = from.canMoveTo(to);

        // then
        assertThat(answer).isEqualTo(allowed);
        if (allowed) {
            assertThatCode(() -> from.checkMoveTo(to)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> from.checkMoveTo(to))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertNames(e, from, to));
        }
    }

    /**
     * {@link ChunkStatus} has no {@code checkMoveTo}; {@link ChunkStore#markDone} checks inline and throws
     * before any SQL, so the refusal is checked through it (the store's JDBC client is never reached).
     */
    @ParameterizedTest(name = "chunk {0} -> {1} allowed: {2}")
    @MethodSource("chunkPairs")
    void chunk_move_is_allowed_exactly_when_the_table_lists_it(ChunkStatus from, ChunkStatus to, boolean allowed) {
        // given: the pair and its expected answer

        // when
        boolean answer = from.canMoveTo(to);

        // then
        assertThat(answer).isEqualTo(allowed);
        if (!allowed && to == ChunkStatus.DONE) {
            ChunkStore store = new ChunkStore(null);
            Chunk chunk = new Chunk("bat_1", 0, from, 0, 1, 10);
            assertThatThrownBy(() -> store.markDone(chunk, Instant.EPOCH))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> assertNames(e, from, to));
        }
    }

    @Test
    void final_batch_statuses_have_no_moves_out_and_the_others_have_some() {
        // given
        List<BatchStatus> all = List.of(BatchStatus.values());

        // when / then
        for (BatchStatus status : all) {
            assertThat(status.isFinal()).as("%s is final", status).isEqualTo(FINAL_BATCH_STATUSES.contains(status));
            long moves = all.stream().filter(status::canMoveTo).count();
            if (FINAL_BATCH_STATUSES.contains(status)) {
                assertThat(moves).as("moves out of %s", status).isZero();
            } else {
                assertThat(moves).as("moves out of %s", status).isPositive();
            }
        }
    }

    @Test
    void a_job_being_deleted_and_a_done_chunk_have_no_moves_out() {
        // given / when / then: a cancelled job can still be deleted, nothing leaves deleting
        assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus.DELETING::canMoveTo)).isEmpty();
        assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus.CANCELLED::canMoveTo))
                .containsExactly(JobStatus.DELETING);
        assertThat(Arrays.stream(ChunkStatus.values()).filter(ChunkStatus.DONE::canMoveTo)).isEmpty();
        assertThat(Arrays.stream(JobStatus.values()).filter(JobStatus.OPEN::canMoveTo))
                .containsExactly(JobStatus.CANCELLED, JobStatus.DELETING);
        assertThat(Arrays.stream(ChunkStatus.values()).filter(ChunkStatus.PENDING::canMoveTo))
                .containsExactly(ChunkStatus.DONE);
    }

    private static void assertNames(IllegalTransitionException e, Enum<?> from, Enum<?> to) {
        assertThat(e.from()).isSameAs(from);
        assertThat(e.to()).isSameAs(to);
        assertThat(e.getMessage()).isEqualTo("cannot move from " + from.name() + " to " + to.name());
    }
}
