/**
 * The append operation: adds fields of a dataset to each input record matched on normalised keys, with a
 * match code per record. Owns its chunk processor, its options and the per-batch match index tables
 * ({@code apx_<batch>}); the normalisation and the result format live in {@code sluice-core}'s
 * {@code append} package. Plugs into {@code job} as a chunk processor and reads datasets through
 * {@code dataset}; uses {@code store} for the dialect.
 */
package dev.sluice.server.append;
