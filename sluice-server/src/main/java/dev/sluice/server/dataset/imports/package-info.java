/**
 * The import operation: a file (uploaded or fetched from {@code source.uri}) loaded into a dataset with
 * {@code ignore}, {@code update} or {@code replace}, all or nothing under an error threshold. Chunks parse
 * and type the records into parts without touching the database; the batch's completing transaction
 * checks the threshold, stages the good records (COPY on PostgreSQL, batched inserts on SQLite), merges
 * them set-based and writes the per-record outcomes. Plugs into {@code job} as a chunk processor; uses
 * {@code dataset}, {@code store} and the core's {@code dataset} and {@code ingest}.
 */
package dev.sluice.server.dataset.imports;
