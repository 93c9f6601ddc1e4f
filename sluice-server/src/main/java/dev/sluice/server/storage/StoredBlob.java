package dev.sluice.server.storage;

/** A blob found by {@link BlobStorage#list(String)}: its full key and its size in bytes. */
public record StoredBlob(String key, long size) {
}
