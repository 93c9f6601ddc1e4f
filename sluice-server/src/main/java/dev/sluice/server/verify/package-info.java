/**
 * The verify operation in the server: runs the core's email verifier over each chunk and assembles the
 * result file. Plugs into {@code job} as a chunk processor; the verification itself lives in
 * {@code sluice-core}.
 */
package dev.sluice.server.verify;
