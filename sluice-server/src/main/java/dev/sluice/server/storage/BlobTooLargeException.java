package dev.sluice.server.storage;

/** A blob went over the size it was allowed; nothing of it was kept. */
public class BlobTooLargeException extends Exception {

    private final long limit;

    public BlobTooLargeException(long limit) {
        super("the content is larger than the limit of " + limit + " bytes; split it into smaller files");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
