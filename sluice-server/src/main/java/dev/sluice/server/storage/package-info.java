/**
 * Blob storage for input files, chunk parts and results: local disk on the embedded default, an
 * S3-compatible bucket in a cluster ({@code sluice.storage.*}). Owns keys, atomic publication of blobs and
 * presigned download links, and the {@code storage} readiness component that probes them; depends on no
 * capability.
 */
package dev.sluice.server.storage;
