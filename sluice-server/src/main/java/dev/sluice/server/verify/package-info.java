/**
 * The verify operation in the server: runs the core's email verifier over each chunk and assembles the
 * result file, and asks addresses answered "try again later" again after the configured delays (their own
 * table and task). Plugs into {@code job} as a chunk processor and settles deferred records through its
 * {@code BatchLifecycle} facade; the verification itself lives in {@code sluice-core}.
 */
package dev.sluice.server.verify;
