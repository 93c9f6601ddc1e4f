/**
 * The verify operation in the server: runs the core's email verifier over each chunk and assembles the
 * result file, and keeps the SMTP transcripts of jobs that ask for them ({@code TranscriptStore}, read by the API
 * through {@code TranscriptReader}). Plugs into {@code job} as a chunk processor; the verification
 * itself lives in {@code sluice-core}.
 */
package dev.sluice.server.verify;
