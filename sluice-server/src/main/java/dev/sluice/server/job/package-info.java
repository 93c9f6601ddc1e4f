/**
 * Jobs, batches and chunks: their lifecycles (explicit transition tables, compare-and-set writes), the
 * event log, and the engine that loads a batch, processes its chunks as tasks on db-scheduler and
 * assembles the result. Operations plug in as {@link dev.sluice.server.job.ChunkProcessor}s. Also owns
 * the engine's health (the {@code scheduler} readiness component) and metrics (records by operation and
 * outcome, batches by status, task queue depth). Uses {@code account}, {@code store} and {@code storage}.
 */
package dev.sluice.server.job;
