package dev.sluice.server.job;

/** A slice of a batch's records processed as one task: records {@code firstRow .. firstRow+records-1}. */
public record Chunk(String batchId, int index, ChunkStatus status, long version, long firstRow, long records) {
}
