package dev.sluice.server.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for chunks. A chunk moves {@code pending -> done} exactly once, by compare-and-set. */
@Repository
class ChunkStore {

    private static final String DELETE_OF_BATCH = "DELETE FROM chunks WHERE batch_id = :batch_id";

    private static final String INSERT = """
            INSERT INTO chunks (batch_id, idx, status, version, first_row, records, updated_at)
            VALUES (:batch_id, :idx, 'pending', 0, :first_row, :records, :now)
            """;

    private static final String SELECT_ONE = """
            SELECT batch_id, idx, status, version, first_row, records FROM chunks
            WHERE batch_id = :batch_id AND idx = :idx
            """;

    private static final String SELECT_PENDING = """
            SELECT batch_id, idx, status, version, first_row, records FROM chunks
            WHERE batch_id = :batch_id AND status = 'pending' ORDER BY idx
            """;

    private static final String MARK_DONE = """
            UPDATE chunks SET status = 'done', version = version + 1, updated_at = :now
            WHERE batch_id = :batch_id AND idx = :idx AND status = 'pending' AND version = :version
            """;

    private final JdbcClient jdbc;

    public ChunkStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces the batch's chunks with {@code sizes.size()} pending ones, numbering rows from 1. */
    public void replaceAll(String batchId, List<Long> sizes, Instant now) {
        jdbc.sql(DELETE_OF_BATCH).param("batch_id", batchId).update();
        long firstRow = 1;
        for (int i = 0; i < sizes.size(); i++) {
            jdbc.sql(INSERT)
                    .param("batch_id", batchId)
                    .param("idx", i)
                    .param("first_row", firstRow)
                    .param("records", sizes.get(i))
                    .param("now", now.toEpochMilli())
                    .update();
            firstRow += sizes.get(i);
        }
    }

    public Optional<Chunk> find(String batchId, int index) {
        return jdbc.sql(SELECT_ONE).param("batch_id", batchId).param("idx", index).query(ChunkStore::map).optional();
    }

    public List<Chunk> pending(String batchId) {
        return jdbc.sql(SELECT_PENDING).param("batch_id", batchId).query(ChunkStore::map).list();
    }

    public boolean markDone(Chunk chunk, Instant now) {
        chunk.status().checkMoveTo(ChunkStatus.DONE);
        return jdbc.sql(MARK_DONE)
                .param("batch_id", chunk.batchId())
                .param("idx", chunk.index())
                .param("version", chunk.version())
                .param("now", now.toEpochMilli())
                .update() == 1;
    }

    private static Chunk map(ResultSet rs, int row) throws SQLException {
        return new Chunk(rs.getString("batch_id"), rs.getInt("idx"),
                ChunkStatus.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
                rs.getLong("version"), rs.getLong("first_row"), rs.getLong("records"));
    }
}
