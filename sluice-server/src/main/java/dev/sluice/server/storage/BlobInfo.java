package dev.sluice.server.storage;

/** What was stored: size in bytes and the lower-case hex SHA-256 of the content. */
public record BlobInfo(long size, String sha256) {
}
