package dev.sluice.server.support;

/** Where a {@link TestServer} keeps its files. */
public enum TestBlobs {

    /** Under the server's data folder, as the embedded default does. */
    LOCAL,
    /**
     * In a new bucket on the test JVM's S3Mock ({@code storage.TestS3}: path-style, dummy credentials), as on a
     * cluster; the keys start with {@link TestServer#S3_PREFIX}.
     */
    S3
}
