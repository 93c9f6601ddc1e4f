/**
 * Jobs, batches and chunks: their lifecycles (explicit transition tables, compare-and-set writes), the
 * event log, and the engine that loads a batch, processes its chunks as tasks on db-scheduler and
 * assembles the result. Operations plug in as {@link dev.sluice.server.job.ChunkProcessor}s. Uses
 * {@code account}, {@code store} and {@code storage}.
 */
package dev.sluice.server.job;
