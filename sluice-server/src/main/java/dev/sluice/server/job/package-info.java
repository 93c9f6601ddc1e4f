/**
 * Jobs, batches and chunks: their lifecycles (explicit transition tables, compare-and-set writes), the
 * event log, and the engine that loads a batch, processes its chunks as tasks on db-scheduler and
 * assembles the result, and the retention purge (a recurring task that deletes expired files and marks the
 * batch purged, keeping its counters). Operations plug in as typed {@link dev.sluice.server.job.OperationPlugin}s
 * (chunk processors or output producers). Other packages enter the batch lifecycle only through
 * {@link dev.sluice.server.job.BatchLifecycle} (create, queue, renew an upload link, fail an abandoned upload,
 * read), never through the job, batch, chunk and event stores, the worker or the task descriptors, all
 * package-private. Also owns
 * the engine's health (the {@code scheduler} readiness component) and metrics (records by operation and
 * outcome, batches by status, task queue depth). Uses {@code account}, {@code store} and {@code storage}.
 */
package dev.sluice.server.job;
