/**
 * Export: the {@code export} operation, which writes a dataset (chosen fields, an equality filter) or a
 * finished job's results into one zipped file, streamed from a database cursor so that no table size
 * needs the heap, offers it through the signed download and copies it into the account's SFTP drop (and
 * deletes that copy when {@code job}'s retention purge says the batch expired). Uses {@code job}, {@code dataset},
 * {@code drop} (its keys only), {@code storage}, {@code store} and the core's export writers.
 */
package dev.sluice.server.export;
