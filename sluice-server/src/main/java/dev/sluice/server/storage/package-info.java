/**
 * Blob storage for input files, chunk parts and results: local disk now, S3-compatible later. Owns keys
 * and atomic publication of blobs; depends on no capability.
 */
package dev.sluice.server.storage;
