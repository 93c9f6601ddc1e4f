package dev.sluice.client;

/** How many of a job's batches are in each {@link BatchStatus}. */
public record BatchCounts(
        long waitingForUpload,
        long queued,
        long loading,
        long inProgress,
        long completed,
        long failed,
        long malformed,
        long cancelled) {

    /** Batches of the job, whatever their status. */
    public long total() {
        return waitingForUpload + queued + loading + inProgress + completed + failed + malformed + cancelled;
    }
}
