/**
 * Export: the {@code export} operation, which writes a dataset (chosen fields, an equality filter) or a
 * finished job's results into one zipped file, streamed from a database cursor so that no table size
 * needs the heap, offers it through the signed download and copies it into the account's SFTP drop; and
 * the retention purge, a recurring task that deletes every expired result, its chunk leftovers and its
 * drop copy and marks the batch purged, keeping its counters. Uses {@code job}, {@code dataset},
 * {@code drop} (its keys only), {@code storage}, {@code store} and the core's export writers.
 */
package dev.sluice.server.export;
